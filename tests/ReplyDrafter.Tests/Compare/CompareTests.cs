using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Learning;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Compare;

/// <summary>
/// <c>compare</c> end to end: the real command line, the fake LLM server answering as two models through the real SDK
/// ("good-model" writes what the user sent, "bad-model" something else), on a vault whose outcomes the pipeline learned.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CompareTests(CompareVault fixture) : IClassFixture<CompareVault>
{
    private const string Good = "good-model";
    private const string Bad = "bad-model";
    private const string BadBody = "Sorry, I am travelling this week and cannot look at it.";

    /// <summary>What the pipeline learned for each thread (2·matched / (draft words + sent words), see ReplySimilarityTests).</summary>
    private static readonly double[] OriginalSimilarity = [1.0, 0.7742, 0.0, 0.4667, 0.1765, 0.8966];

    private static string AnswerFor(FakeLlmRequest request)
    {
        if (request.Model == Bad)
        {
            return Draft(BadBody);
        }

        var threads = CompareVault.Threads.Where(t => request.Body.Contains("Subject: " + t.Subject, StringComparison.Ordinal)).ToList();
        return threads.Count == 1 ? Draft(threads[0].Sent) : "{\"error\": \"no single thread in the request\"}";
    }

    private static string Draft(string body) => new JsonObject { ["key_points"] = new JsonArray("Reply"), ["body"] = body }.ToJsonString();

    private void AnswerAsTwoModels() =>
        fixture.Server.Responder = request => request.Model is Good or Bad ? FakeLlmReply.Json(AnswerFor(request)) : FakeLlmReply.Json(FakeLlmServer.CannedDraft());

    private static Dictionary<string, string> Snapshot(TempVault vault, string folder) =>
        vault.Files(folder).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(vault.Path(f)))), StringComparer.Ordinal);

    private static IReadOnlyList<string> CacheFiles(TempVault vault) => vault.Files(".replydrafter/compare");

    private async Task<(int Code, JsonObject Json, string Error)> CompareJsonAsync(TempVault vault, params string[] options)
    {
        var (code, output, error) = await CommandLineTests.InvokeAsync(fixture.Arguments(vault, ["compare", "--json", .. options]));
        Assert.True(code is 0 or 1 or CompareCommand.Interrupted, error);
        return (code, JsonNode.Parse(output)!.AsObject(), error);
    }

    [Fact]
    public async Task Compare_ModelThatWritesWhatWasSent_FiguresExactIntervalAboveZeroNothingInOutbox()
    {
        using var vault = fixture.Copy();
        AnswerAsTwoModels();
        var outbox = Snapshot(vault, "Outbox");
        var calls = fixture.Server.ChatRequestCount;

        var (code, json, error) = await CompareJsonAsync(
            vault, "--model", Good, "--ReplyDrafter:Llm:Pricing:InputPerMillion=1", "--ReplyDrafter:Llm:Pricing:OutputPerMillion=2");

        Assert.True(code == 0, error);
        Assert.Equal(calls + 6, fixture.Server.ChatRequestCount);
        Assert.All(fixture.Server.ChatRequests.Skip(calls), r => Assert.Equal(Good, r.Model));
        var drafts = json["drafts"]!.AsArray();
        Assert.Equal(6, drafts.Count);
        var byThread = CompareVault.Threads.Select(t => drafts.Single(d => ((string)d!["draft"]!).Contains(t.Subject, StringComparison.Ordinal))!).ToList();
        Assert.Equal(OriginalSimilarity, byThread.Select(d => (double)d["original_similarity"]!));
        Assert.All(byThread, d => Assert.Equal(1.0, (double)d["candidate_similarity"]!));
        Assert.Equal(OriginalSimilarity.Select(s => Math.Round(1.0 - s, 4)), byThread.Select(d => (double)d["difference"]!));

        var original = json["original"]!;
        var candidate = json["candidate_summary"]!;
        Assert.Equal(
            (6, 0.5523, 0.6204, 0.1667, 0.3333, 0.5, 6),
            ((int)original["drafts"]!, (double)original["mean_similarity"]!, (double)original["median_similarity"]!,
             (double)original["sent_share"]!, (double)original["edited_share"]!, (double)original["rewritten_share"]!, (int)original["calls"]!));
        Assert.Equal(
            (6, 1.0, 1.0, 1.0, 0.0, 0.0, 6),
            ((int)candidate["drafts"]!, (double)candidate["mean_similarity"]!, (double)candidate["median_similarity"]!,
             (double)candidate["sent_share"]!, (double)candidate["edited_share"]!, (double)candidate["rewritten_share"]!, (int)candidate["calls"]!));

        // The same recorded input went out (only the model name changed, of the same length): the same input tokens.
        Assert.Equal((long)original["input_tokens"]!, (long)candidate["input_tokens"]!);
        long output = CompareVault.Threads.Sum(t => (long)Math.Max(1, Draft(t.Sent).Length / 4));
        Assert.Equal(output, (long)candidate["output_tokens"]!);
        Assert.Equal(((long)candidate["input_tokens"]! * 1m + output * 2m) / 1_000_000m, (decimal)candidate["estimated_cost"]!);

        var difference = json["difference"]!;
        Assert.Equal(0.4477, (double)difference["mean"]!);
        Assert.True((double)difference["low"]! > 0, difference.ToJsonString());
        Assert.True((bool)difference["excludes_zero"]!);
        Assert.Equal((10_000, 22), ((int)difference["resamples"]!, (int)difference["seed"]!));

        // Only the cache was written: private files, and the Outbox exactly as it was.
        Assert.Equal(outbox, Snapshot(vault, "Outbox"));
        Assert.Equal(6, CacheFiles(vault).Count);
        Assert.All(CacheFiles(vault), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(vault.Path(f))));
    }

    [Fact]
    public async Task Compare_ModelThatWritesSomethingElse_IntervalBelowZeroAndTableSaysSo()
    {
        using var vault = fixture.Copy();
        AnswerAsTwoModels();

        var (_, json, _) = await CompareJsonAsync(vault, "--model", Bad);
        var difference = json["difference"]!;
        Assert.True((double)difference["high"]! < 0, difference.ToJsonString());

        var (code, text, error) = await CommandLineTests.InvokeAsync(fixture.Arguments(vault, "compare", "--model", Bad));
        Assert.True(code == 0, error);
        Assert.Contains("the original drafts come closer to what you sent", text, StringComparison.Ordinal);
        Assert.Contains("(cached)", text, StringComparison.Ordinal);
        Assert.Matches(@"estimated cost +no price +no price", text);
    }

    [Fact]
    public async Task Compare_SameModelAsRecorded_IntervalIncludesZero()
    {
        using var vault = fixture.Copy();
        AnswerAsTwoModels();

        // The recorded model answers as it did: the candidate is the original draft again.
        var (code, json, error) = await CompareJsonAsync(vault, "--temperature", "0.3");

        Assert.True(code == 0, error);
        var difference = json["difference"]!;
        Assert.Equal(0.0, (double)difference["mean"]!);
        Assert.True((double)difference["low"]! <= 0 && (double)difference["high"]! >= 0, difference.ToJsonString());
        Assert.False((bool)difference["excludes_zero"]!);
        Assert.Equal(json["original"]!["mean_similarity"]!.ToJsonString(), json["candidate_summary"]!["mean_similarity"]!.ToJsonString());
    }

    [Fact]
    public async Task Compare_SecondRun_ReusesCandidatesAndOtherSettingsMakeNewOnes()
    {
        using var vault = fixture.Copy();
        AnswerAsTwoModels();
        var (_, first, _) = await CompareJsonAsync(vault, "--model", Good);
        var calls = fixture.Server.ChatRequestCount;

        var (code, second, error) = await CompareJsonAsync(vault, "--model", Good);

        Assert.True(code == 0, error);
        Assert.Equal(calls, fixture.Server.ChatRequestCount);
        Assert.All(second["drafts"]!.AsArray(), d => Assert.True((bool)d!["cached"]!));
        Assert.Equal(first["candidate_summary"]!.ToJsonString(), second["candidate_summary"]!.ToJsonString());
        Assert.Equal(first["difference"]!.ToJsonString(), second["difference"]!.ToJsonString());

        // Another temperature is another candidate: asked again, kept beside the first.
        await CompareJsonAsync(vault, "--model", Good, "--temperature", "0.9", "--limit", "2");
        Assert.Equal(calls + 2, fixture.Server.ChatRequestCount);
        Assert.Equal(8, CacheFiles(vault).Count);
    }

    [Fact]
    public async Task Compare_CtrlCMidRun_StopsWithWhatWasScoredAndTheCacheResumes()
    {
        using var vault = fixture.Copy();

        // Ctrl-C reaches the command as it reaches `run`: the host's console lifetime calls StopApplication.
        IServiceProvider? services = null;
        int seen = 0;
        fixture.Server.Responder = request =>
        {
            if (Interlocked.Increment(ref seen) == 3)
            {
                services!.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            }

            return FakeLlmReply.Json(AnswerFor(request));
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var args = fixture.Arguments(vault, "compare");
        var common = new CommonArguments(vault.Root, [.. args.Where(a => a.StartsWith("--ReplyDrafter:", StringComparison.Ordinal))], CliConsole.Writers(output, error));

        var code = await CompareCommand.RunAsync(
            settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.Services.AddSingleton<TimeProvider>(sp =>
                {
                    services = sp;
                    return NoonClock.Shared;
                });
                builder.AddReplyDrafter();
                return builder;
            },
            common,
            new CompareRequest(Good, null, null, null, TimeSpan.FromDays(30), null, Json: false, ReportPath: null),
            CancellationToken.None);

        Assert.True(code == CompareCommand.Interrupted, error.ToString());
        var kept = CacheFiles(vault);
        Assert.InRange(kept.Count, 2, 3);
        Assert.Contains($"Compared {kept.Count} draft(s)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Stopped: {6 - kept.Count} draft(s) not compared yet", output.ToString(), StringComparison.Ordinal);
        Assert.All(kept, f => Assert.Equal(Good, (string?)JsonNode.Parse(File.ReadAllText(vault.Path(f)))!["model"]));

        AnswerAsTwoModels();
        var calls = fixture.Server.ChatRequestCount;
        var (resumed, json, resumeError) = await CompareJsonAsync(vault, "--model", Good);
        Assert.True(resumed == 0, resumeError);
        Assert.Equal(calls + 6 - kept.Count, fixture.Server.ChatRequestCount);
        Assert.Equal(kept.Count, json["drafts"]!.AsArray().Count(d => (bool)d!["cached"]!));
        Assert.Equal(0.4477, (double)json["difference"]!["mean"]!);
    }

    [Fact]
    public async Task Compare_Report_SelfContainedEscapedAndSortedByDifference()
    {
        using var vault = fixture.Copy();
        using var folder = new TempVault();
        AnswerAsTwoModels();
        var report = folder.Path("compare.html");

        var (code, text, error) = await CommandLineTests.InvokeAsync(fixture.Arguments(vault, "compare", "--model", Good, "--report", report));

        Assert.True(code == 0, error);
        Assert.Contains("Wrote " + report, text, StringComparison.Ordinal);
        var html = File.ReadAllText(report);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(report));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);

        // The user's "<b>&amp;</b>" is text, not markup.
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;&amp;amp;&lt;/b&gt;", html, StringComparison.Ordinal);

        // Largest difference first: "Pear" (original 0, candidate 1), then "Fig", ... "Kiwi" (no difference) last.
        var sections = html.IndexOf("<h3 id=", StringComparison.Ordinal);
        var order = CompareVault.Threads.Select(t => t.Subject).OrderBy(subject => html.IndexOf(subject + ".md", sections, StringComparison.Ordinal)).ToList();
        Assert.Equal(["Pear", "Fig", "Plum", "Mango", "Lime", "Kiwi"], order);
    }

    [Fact]
    public async Task Compare_OtherPromptSet_RecordedVariablesRenderedWithTheOtherTemplate()
    {
        using var vault = fixture.Copy();
        using var prompts = new TempVault();
        AnswerAsTwoModels();
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "prompts", "draft-reply.prompty"));
        var edited = shipped.Replace("Subject: {{subject}}", "Answer in fewer words.\nSubject: {{subject}}", StringComparison.Ordinal);
        Assert.NotEqual(shipped, edited);
        File.WriteAllText(prompts.Path("draft-reply.prompty"), edited);
        var calls = fixture.Server.ChatRequestCount;

        var (code, json, error) = await CompareJsonAsync(vault, "--model", Good, "--prompts", prompts.Root);

        Assert.True(code == 0, error);
        var sent = fixture.Server.ChatRequests.Skip(calls).ToList();
        Assert.Equal(6, sent.Count);
        Assert.All(sent, r => Assert.Contains("Answer in fewer words.", r.Body, StringComparison.Ordinal));
        Assert.All(sent, r => Assert.Contains("Can you send the revised Q3 budget before Friday?", r.Body, StringComparison.Ordinal));
        Assert.Equal(64, ((string)json["candidate"]!["template_sha256"]!).Length);
        Assert.Equal(1.0, (double)json["candidate_summary"]!["mean_similarity"]!);
    }

    [Fact]
    public async Task Compare_RateLimitedThenServerError_RetriedLikeThePipelineAndCompared()
    {
        using var vault = fixture.Copy();
        int seen = 0;
        fixture.Server.Responder = request => Interlocked.Increment(ref seen) switch
        {
            // A tiny Retry-After (the harness's retry base delay is 10 ms too): no waiting on the wall clock.
            1 => FakeLlmReply.RateLimited(TimeSpan.FromMilliseconds(15), milliseconds: true),
            2 => FakeLlmReply.ServerError(),
            _ => FakeLlmReply.Json(AnswerFor(request)),
        };
        var calls = fixture.Server.ChatRequestCount;

        var (code, json, error) = await CompareJsonAsync(vault, "--model", Good, "--limit", "2");

        Assert.True(code == 0, error);
        Assert.Equal(calls + 4, fixture.Server.ChatRequestCount);
        Assert.Empty(json["skipped"]!.AsArray());
        Assert.All(json["drafts"]!.AsArray(), d => Assert.Equal(1.0, (double)d!["candidate_similarity"]!));
        Assert.Equal(2, json["drafts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Compare_DailyCallLimit_CallsMeteredIntoTheLedgerAndHeldToTheLimit()
    {
        using var vault = fixture.Copy();
        AnswerAsTwoModels();
        var today = DateOnly.FromDateTime(NoonClock.Shared.GetUtcNow().UtcDateTime);
        long usedBefore = UsedCalls(vault, today);
        var calls = fixture.Server.ChatRequestCount;

        var (code, json, _) = await CompareJsonAsync(
            vault, "--model", Good, "--limit", "3", "--ReplyDrafter:Llm:DailyCallLimit=" + (usedBefore + 1));

        Assert.Equal(CompareCommand.SomeFailed, code);
        Assert.Equal(calls + 1, fixture.Server.ChatRequestCount);
        Assert.Single(json["drafts"]!.AsArray());
        Assert.Contains("DailyCallLimit", (string)json["skipped"]!.AsArray().Single()!["reason"]!, StringComparison.Ordinal);
        Assert.Equal(usedBefore + 1, UsedCalls(vault, today));
    }

    private static long UsedCalls(TempVault vault, DateOnly day)
    {
        using var ledger = new ReplyDrafter.Ledger.VaultLedger(vault.Path(".replydrafter/ledger.db"));
        return ledger.LlmUsage(day).Calls;
    }

    [Theory]
    [InlineData(new[] { "compare" }, "name what to compare against")]
    [InlineData(new[] { "compare", "--model", Good, "--since", "soon" }, "--since takes days, hours or weeks")]
    [InlineData(new[] { "compare", "--model", Good, "--limit", "0" }, "--limit must be 1 or more")]
    [InlineData(new[] { "compare", "--model", Good, "--temperature", "3" }, "--temperature must be between 0 and 2")]
    [InlineData(new[] { "compare", "--model", Good, "--prompts", "/nonexistent-prompts" }, "has no draft-reply.prompty")]
    public async Task Compare_BadArguments_ExitTwoWithOneLine(string[] command, string message)
    {
        using var vault = fixture.Copy();
        var (code, _, error) = await CommandLineTests.InvokeAsync(fixture.Arguments(vault, command));
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Compare_ReportInsideOutbox_RefusedAndNothingWritten()
    {
        using var vault = fixture.Copy();
        var outbox = Snapshot(vault, "Outbox");
        var calls = fixture.Server.ChatRequestCount;

        var (code, _, error) = await CommandLineTests.InvokeAsync(fixture.Arguments(vault, "compare", "--model", Good, "--report", vault.Path("Outbox/compare.html")));

        Assert.Equal(2, code);
        Assert.Contains("--report may not be inside Outbox/", error, StringComparison.Ordinal);
        Assert.Equal(outbox, Snapshot(vault, "Outbox"));
        Assert.Equal(calls, fixture.Server.ChatRequestCount);
    }

    [Fact]
    public void Similarity_OfTheFixturesReplies_IsWhatTheLearningComputed()
    {
        // The figures above rest on the learning's own similarity: the same function, the same texts.
        const string drafted = "Hi Alice,\n\nThanks for the reminder. I will send the revised Q3 budget by Thursday evening.";
        Assert.Equal(OriginalSimilarity, CompareVault.Threads.Select(t => ReplySimilarity.Compute(drafted, t.Sent)));
    }
}
