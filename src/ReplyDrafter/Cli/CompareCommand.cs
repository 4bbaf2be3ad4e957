using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Compare;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Learning;
using ReplyDrafter.Llm;
using ReplyDrafter.Security;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

/// <summary>What <c>compare</c> was asked to do.</summary>
/// <param name="Since">How far back drafts count (by when they were made).</param>
/// <param name="Prompts">A folder with another <c>draft-reply.prompty</c>.</param>
internal sealed record CompareRequest(
    string? Model, string? Endpoint, string? Prompts, double? Temperature, TimeSpan Since, int? Limit, bool Json, string? ReportPath);

/// <summary>
/// <c>replydrafter compare</c>: replays the prompt record of every draft whose outcome is known against another model
/// and/or prompt set, and scores both drafts against what the user sent, with the learning's similarity. Reads the
/// vault; writes only its cache under <c>.replydrafter/compare/</c>, the report the user names and, like the pipeline,
/// each call's usage in the ledger: never Outbox/ or the Drafts folder, so it needs no vault lock and runs beside the
/// daemon. Its calls are the pipeline's: retried (a 429's Retry-After honoured), paced, and held to the daily limits.
/// </summary>
internal static class CompareCommand
{
    public const int SomeFailed = 1;

    /// <summary>The shell's code for a run stopped by Ctrl-C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public static Command Create(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, Option<string?> vault, CliConsole console)
    {
        var model = new Option<string?>("--model") { Description = "The candidate model (or Azure deployment); the recorded one when not given.", HelpName = "NAME" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Send the candidate requests to this endpoint (ReplyDrafter:Llm:Endpoint).", HelpName = "URL" };
        var prompts = new Option<string?>("--prompts") { Description = "A folder with another draft-reply.prompty, rendered with each record's variables.", HelpName = "DIR" };
        var temperature = new Option<double?>("--temperature") { Description = "The candidate's temperature; the recorded one when not given.", HelpName = "T" };
        var since = new Option<string>("--since") { Description = "Drafts made in this period: 30d, 12h, 2w.", HelpName = "PERIOD", DefaultValueFactory = _ => "30d" };
        var limit = new Option<int?>("--limit") { Description = "At most the N most recent drafts.", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var report = new Option<string?>("--report") { Description = "Also write a self-contained HTML page with each pair's diff against what you sent.", HelpName = "FILE.html" };
        var command = new Command("compare", "Replay the drafts whose outcome is known against another model or prompt set, and score both against what you sent.")
        {
            model, endpoint, prompts, temperature, since, limit, json, report,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            try
            {
                var request = new CompareRequest(
                    result.GetValue(model), result.GetValue(endpoint), result.GetValue(prompts), result.GetValue(temperature),
                    ParseSince(result.GetValue(since)!), result.GetValue(limit), result.GetValue(json), result.GetValue(report));
                return await RunAsync(createBuilder, new CommonArguments(result.GetValue(vault), [.. result.UnmatchedTokens], console), request, ct);
            }
            catch (Exception ex) when (CliHost.Describe(ex) is { } message)
            {
                return ReplyDrafterCommandLine.Usage(console, message);
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(
        Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, CompareRequest compare, CancellationToken cancellationToken)
    {
        Check(compare);
        if (compare.Endpoint is { } endpoint)
        {
            // The command line wins over every settings file, so the candidate goes exactly there.
            common = common with { ConfigurationArgs = [.. common.ConfigurationArgs, "--ReplyDrafter:Llm:Endpoint=" + endpoint] };
        }

        using var host = CliHost.Build(createBuilder, common, pipelineLlm: true);
        CliHost.Validate(host);
        var services = host.Services;
        var layout = services.GetRequiredService<VaultLayout>();
        var reportFile = compare.ReportPath is { } report ? CheckReportPath(report, layout) : null;
        var template = compare.Prompts is { } prompts ? LoadTemplate(prompts) : null;
        var llm = services.GetRequiredService<ILlmClient>();
        var llmOptions = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        var signature = services.GetRequiredService<IOptions<MeOptions>>().Value.Signature;
        var time = services.GetRequiredService<TimeProvider>();
        var since = time.GetUtcNow() - compare.Since;

        var (items, skipped) = Gather(services, layout, since, compare.Limit);
        var cache = new CandidateCache(Path.Combine(layout.State, "compare"));
        var compared = new List<ComparedDraft>();
        int pending = items.Count;
        bool interrupted = false;

        // Ctrl-C and SIGTERM as for `run`: the host's console lifetime takes them and stops the application (no hosted
        // service runs here); compare abandons the call in flight and shows what was scored.
        await host.StartAsync(cancellationToken);
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);

        try
        {
            var progress = !common.Console.IsOutputRedirected && !compare.Json ? services.GetRequiredService<IBatchProgress>() : null;
            async Task<int> Work(IProgress<double>? bar)
            {
                foreach (var item in items)
                {
                    var outcome = await CompareOneAsync(item, compare, template, llm, llmOptions, cache, signature, time, stop.Token);
                    if (outcome.Compared is { } done)
                    {
                        compared.Add(done);
                        pending--;
                    }
                    else if (outcome.Skipped is { } why)
                    {
                        skipped.Add(why);
                        pending--;
                    }

                    if (outcome.Stop)
                    {
                        interrupted = stop.IsCancellationRequested;
                        break;
                    }

                    bar?.Report((double)(items.Count - pending) / items.Count);
                }

                return 0;
            }

            _ = progress is null ? await Work(null) : await progress.RunAsync(items.Count, Work);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        var provider = llm.Provider;
        var result = new CompareResult(
            since,
            new CandidateDescription(
                compare.Model?.Trim() ?? provider.Model, provider.Provider, provider.EndpointHost, compare.Temperature, compare.Prompts, template?.Sha256),
            compared,
            skipped,
            pending,
            interrupted,
            SideSummary.From([.. compared.Select(d => d.Original)], llmOptions.Pricing),
            SideSummary.From([.. compared.Select(d => d.Candidate)], llmOptions.Pricing),
            PairedBootstrap.Estimate([.. compared.Select(d => d.Difference)]));

        if (compare.Json)
        {
            CompareOutput.WriteJson(common.Console.Out, result);
        }
        else
        {
            CompareOutput.WriteTable(common.Console.Out, result);
        }

        if (reportFile is not null)
        {
            // The page holds mail text: as private as the mail.
            AtomicFile.WriteAllText(reportFile, CompareHtmlReport.Render(result), unixMode: PrivateFiles.PrivateFileMode);
            if (!compare.Json)
            {
                common.Console.Out.WriteLine("Wrote " + reportFile);
            }
        }

        return interrupted ? Interrupted : pending > 0 || skipped.Any(s => s.Failed) ? SomeFailed : 0;
    }

    /// <summary>Parses <c>--since</c>: a number of days (<c>30d</c>), hours (<c>12h</c>) or weeks (<c>2w</c>).</summary>
    public static TimeSpan ParseSince(string text)
    {
        var t = text.Trim();
        if (t.Length >= 2 && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
        {
            switch (char.ToLowerInvariant(t[^1]))
            {
                case 'd': return TimeSpan.FromDays(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'w': return TimeSpan.FromDays(7 * n);
            }
        }

        throw new UsageException($"compare: --since takes days, hours or weeks, like 30d, 12h or 2w (got '{text}').");
    }

    private static void Check(CompareRequest compare)
    {
        if (compare.Model is null && compare.Prompts is null && compare.Temperature is null && compare.Endpoint is null)
        {
            throw new UsageException("compare: name what to compare against: --model NAME, --prompts DIR, --temperature T or --endpoint URL.");
        }

        if (compare.Model is { } model && string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("compare: --model needs a model (or Azure deployment) name.");
        }

        if (compare.Temperature is { } temperature && !(temperature >= 0 && temperature <= 2))
        {
            throw new UsageException($"compare: --temperature must be between 0 and 2 (got {temperature.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (compare.Limit is < 1)
        {
            throw new UsageException("compare: --limit must be 1 or more.");
        }
    }

    /// <summary>The report goes where the user says, but never where the daemon or the user's review would take it for mail or a draft.</summary>
    private static string CheckReportPath(string report, VaultLayout layout)
    {
        var full = Path.GetFullPath(report);
        if (Directory.Exists(full))
        {
            throw new UsageException($"compare: --report names a folder ('{ReplayDiff.Printable(report)}'); give a file name such as compare.html.");
        }

        foreach (var folder in new[] { layout.Inbox, layout.Outbox })
        {
            var relative = Path.GetRelativePath(folder, full);
            if (relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                throw new UsageException($"compare: --report may not be inside {layout.Relative(folder)}/ ('{ReplayDiff.Printable(report)}'); nothing was written.");
            }
        }

        return full;
    }

    private static PromptTemplate LoadTemplate(string folder)
    {
        var path = Path.Combine(Path.GetFullPath(folder), DraftStep.StepName + ".prompty");
        if (!File.Exists(path))
        {
            throw new UsageException($"compare: --prompts '{ReplayDiff.Printable(folder)}' has no {DraftStep.StepName}.prompty.");
        }

        try
        {
            return PromptTemplate.Load(path);
        }
        catch (PromptTemplateException e)
        {
            throw new UsageException("compare: " + e.Message);
        }
    }

    /// <summary>The drafts in the window whose outcome is known, oldest first (the newest <paramref name="limit"/>), with the user's reply and the record.</summary>
    private static (List<CompareItem> Items, List<SkippedDraft> Skipped) Gather(IServiceProvider services, VaultLayout layout, DateTimeOffset since, int? limit)
    {
        var ledger = services.GetRequiredService<Ledger.VaultLedger>();
        var writer = services.GetRequiredService<StepWriter>();
        var known = ledger.Drafts(since)
            .Where(d => d.Similarity is not null && DraftOutcomes.Parse(d.Outcome) is DraftOutcome.Sent or DraftOutcome.Edited or DraftOutcome.Rewritten)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.DraftPath, StringComparer.Ordinal)
            .Take(limit ?? int.MaxValue)
            .Reverse();
        var items = new List<CompareItem>();
        var skipped = new List<SkippedDraft>();
        foreach (var draft in known)
        {
            var recordPath = writer.RecordPathFor(draft.DraftPath);
            if (ledger.ReplyToDraft(draft.DraftPath) is not { } reply)
            {
                skipped.Add(new SkippedDraft(draft.DraftPath, "the ledger does not hold the reply you sent"));
                continue;
            }

            var file = layout.Absolute(recordPath);
            PromptRecordData record;
            try
            {
                record = PromptRecord.Parse(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                var why = File.Exists(file) ? "its prompt record " + recordPath + " does not read" : "its prompt record " + recordPath + " is gone";
                skipped.Add(new SkippedDraft(draft.DraftPath, why));
                continue;
            }

            if (record.Request.Step != DraftStep.StepName)
            {
                skipped.Add(new SkippedDraft(draft.DraftPath, $"{recordPath} is not a draft's record"));
                continue;
            }

            items.Add(new CompareItem(draft, reply.OwnText, recordPath, record));
        }

        return (items, skipped);
    }

    private static async Task<Step> CompareOneAsync(
        CompareItem item,
        CompareRequest compare,
        PromptTemplate? template,
        ILlmClient llm,
        LlmOptions llmOptions,
        CandidateCache cache,
        string signature,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var draft = item.Draft;
        var recorded = item.Record.Request;
        LlmRequest request;
        try
        {
            // The record's own variables (thread text, style examples) put into the other template, when one is given.
            var source = template is null
                ? recorded
                : template.Prepare(recorded.Step, compare.Prompts + "/" + DraftStep.StepName + ".prompty", recorded.Template.Variables, llmOptions, recorded.MessageIds);
            var asRecorded = source with { Settings = source.Settings with { Model = recorded.Settings.Model, Temperature = recorded.Settings.Temperature } };
            request = ReplayCommand.WithOverrides(asRecorded, compare.Model, compare.Temperature);
        }
        catch (PromptTemplateException e)
        {
            return Step.Skip(new SkippedDraft(draft.DraftPath, e.Message, Failed: true));
        }

        var key = CandidateCache.Key(request, llm.Provider);
        var cached = cache.Find(key);
        var candidate = cached;
        if (candidate is null)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Step.Halt;
            }

            try
            {
                var response = await llm.SendAsync(request, cancellationToken);
                candidate = new CachedCandidate(DraftContent.FromJson(response.Value).Body, response.Usage, response.Attempts);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Step.Halt;
            }
            catch (LlmException e) when (e.Kind is LlmFailureKind.Unavailable or LlmFailureKind.Paused)
            {
                // Every further call would fail the same way: stop, keeping what was made.
                return Step.Skip(new SkippedDraft(draft.DraftPath, "the model did not answer: " + e.Message, Failed: true), stop: true);
            }
            catch (LlmException e)
            {
                return Step.Skip(new SkippedDraft(draft.DraftPath, "no candidate: " + e.Message, Failed: true));
            }
            catch (FormatException)
            {
                return Step.Skip(new SkippedDraft(draft.DraftPath, "the candidate's answer did not fit the draft format", Failed: true));
            }

            cache.Save(key, item.RecordPath, request.Settings.Model, time.GetUtcNow(), candidate);
        }

        var text = SignatureText.Without(candidate.Body, signature);
        var original = item.Record.Response;
        return Step.Done(new ComparedDraft(
            draft.DraftPath,
            item.RecordPath,
            draft.CreatedAt,
            item.SentText,
            new DraftSide(draft.DraftText, draft.Similarity!.Value, original.Usage, original.Attempts),
            new DraftSide(text, ReplySimilarity.Compute(text, item.SentText), candidate.Usage, candidate.Calls),
            Cached: cached is not null));
    }

    private sealed record CompareItem(Ledger.DraftOutcomeRecord Draft, string SentText, string RecordPath, PromptRecordData Record);

    /// <summary>What became of one draft, and whether the run goes on.</summary>
    private sealed record Step(ComparedDraft? Compared, SkippedDraft? Skipped, bool Stop)
    {
        public static readonly Step Halt = new(null, null, true);

        public static Step Done(ComparedDraft compared) => new(compared, null, false);

        public static Step Skip(SkippedDraft skipped, bool stop = false) => new(null, skipped, stop);
    }
}
