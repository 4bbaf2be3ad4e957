using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Llm;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

/// <summary>What <c>replay</c> was asked to do.</summary>
/// <param name="RecordPath">The prompt record, absolute or vault-relative (as a file's <c>prompt_file</c> names it).</param>
internal sealed record ReplayRequest(string RecordPath, string? Model, double? Temperature, bool Offline);

/// <summary>
/// <c>replydrafter replay PROMPT.json</c>: sends a recorded request again (or, offline, re-renders the recorded answer)
/// and writes the result beside the original. Writes only new files: the original note or draft, its record and the
/// ledger are never touched, so it needs no vault lock.
/// </summary>
internal static class ReplayCommand
{
    public const int LlmFailed = 1;

    public static async Task<int> RunAsync(
        Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, ReplayRequest replay, CancellationToken cancellationToken)
    {
        CheckOverrides(replay);
        using var host = CliHost.Build(createBuilder, common);
        CliHost.Validate(host);
        var layout = host.Services.GetRequiredService<VaultLayout>();
        var time = host.Services.GetRequiredService<TimeProvider>();

        var (recordFile, shown) = Locate(replay.RecordPath, layout);
        var steps = host.Services.GetServices<IThreadStep>().ToList();
        var record = Read(recordFile, shown);
        var step = steps.FirstOrDefault(s => s.Name == record.Request.Step)
            ?? throw new UsageException($"replay: '{shown}' records step '{record.Request.Step}', which this build cannot render.");
        var produced = Produced(record.ProducedFiles[0], layout, shown);
        var recorded = new Recorded(step, record.Document!, shown);
        recorded.Check();

        var request = WithOverrides(record.Request, replay.Model, replay.Temperature);

        LlmResponse response;
        ProviderInfo provider;
        if (replay.Offline)
        {
            (response, provider) = (record.Response, record.Provider);
        }
        else
        {
            var llm = host.Services.GetRequiredService<ILlmClient>();
            try
            {
                response = await llm.SendAsync(request, cancellationToken);
            }
            catch (LlmException e)
            {
                common.Console.Error.WriteLine("replydrafter: replay: " + e.Message);
                return LlmFailed;
            }

            provider = llm.Provider;
        }

        var now = time.GetLocalNow();
        var folder = OutputFolder(layout, produced, step);
        var stem = VaultPath.CapBytes(Path.GetFileNameWithoutExtension(produced), 120) + ".replay-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)
            + (replay.Model is { } model ? "-" + Slug.Make(model, 40) : "");

        var replayInfo = new JsonObject
        {
            ["of"] = IsInside(layout.Root, recordFile) ? layout.Relative(recordFile) : Path.GetFileName(recordFile),
            ["offline"] = replay.Offline,
            ["model_override"] = replay.Model,
            ["temperature_override"] = replay.Temperature,
            ["replayed_at"] = now.ToString("O", CultureInfo.InvariantCulture),
        };
        string outputPath, newRecordPath, markdown = "";
        try
        {
            var writer = host.Services.GetRequiredService<StepWriter>();
            (outputPath, newRecordPath) = writer.WriteNew(
                folder,
                stem,
                ".md",
                recordPath =>
                {
                    var file = recorded.Render(response.Value, new ReplayContext(request.Settings, recordPath, now, () => PeopleDirectory.Load(layout.Root, layout.OwnFolders)));
                    markdown = file.Markdown;
                    return file;
                },
                request,
                response,
                provider,
                replayInfo);
        }
        catch (FormatException e)
        {
            common.Console.Error.WriteLine($"replydrafter: replay: the model's new answer did not fit the {request.Step} format: {OneLine(e.Message)}");
            return LlmFailed;
        }

        var (baseline, against) = Baseline(layout, record, produced, recorded);
        Report(common.Console, replay, record, request, response, provider, shown, outputPath, newRecordPath, baseline, against, Frontmatter.Body(markdown));
        return 0;
    }

    /// <summary>The recorded request with only the model and the temperature changed, when given (<c>replay</c> and <c>compare</c>).</summary>
    internal static LlmRequest WithOverrides(LlmRequest recorded, string? model, double? temperature) => recorded with
    {
        Settings = recorded.Settings with
        {
            Model = model?.Trim() ?? recorded.Settings.Model,
            Temperature = temperature ?? recorded.Settings.Temperature,
        },
    };

    private static void CheckOverrides(ReplayRequest replay)
    {
        if (replay.Offline && (replay.Model is not null || replay.Temperature is not null))
        {
            throw new UsageException("replay: --offline makes no LLM call, so --model and --temperature cannot apply; drop one or the other.");
        }

        if (replay.Model is { } model && string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("replay: --model needs a model (or Azure deployment) name.");
        }

        if (replay.Temperature is { } temperature && !(temperature >= 0 && temperature <= 2))
        {
            throw new UsageException($"replay: --temperature must be between 0 and 2 (got {temperature.ToString(CultureInfo.InvariantCulture)}).");
        }
    }

    /// <summary>An absolute path as given; a relative one in the vault first (as <c>prompt_file</c> names it), else from here.</summary>
    private static (string File, string Shown) Locate(string given, VaultLayout layout)
    {
        if (Path.IsPathRooted(given))
        {
            return (Path.GetFullPath(given), given);
        }

        var inVault = layout.Absolute(given);
        if (File.Exists(inVault))
        {
            return (inVault, given);
        }

        var fromHere = Path.GetFullPath(given);
        return (File.Exists(fromHere) ? fromHere : inVault, given);
    }

    private static PromptRecordData Read(string file, string shown)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"replay: no such prompt record '{shown}'.");
        }

        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"replay: cannot read '{shown}' ({OneLine(e.Message)}).");
        }

        PromptRecordData record;
        try
        {
            record = PromptRecord.Parse(json);
        }
        catch (FormatException e)
        {
            throw new UsageException($"replay: '{shown}': {OneLine(e.Message)}");
        }

        if (record.ProducedFiles.Count == 0)
        {
            throw new UsageException($"replay: '{shown}': The prompt record is damaged: 'produced_files' is empty.");
        }

        if (record.Document is null)
        {
            throw new UsageException(
                $"replay: '{shown}' was written by an older ReplyDrafter and does not hold the document its file was rendered from; process the thread again to get a replayable record.");
        }

        return record;
    }

    /// <summary>
    /// The record's file, checked: a replay writes only a <c>.md</c> beside a note or draft, whatever a (crafted)
    /// record says, never a CSS snippet, a log, or an inbox item the daemon would then read.
    /// </summary>
    private static string Produced(string produced, VaultLayout layout, string shown)
    {
        string? full = null;
        try
        {
            full = layout.Absolute(VaultPath.Relative(produced, nameof(produced)));
        }
        catch (ArgumentException)
        {
            // Absolute or climbing out of the vault: refused below.
        }

        var allowed = full is not null
            && string.Equals(Path.GetExtension(full), ".md", StringComparison.OrdinalIgnoreCase)
            && (IsInside(layout.Notes, full) || IsInside(layout.Outbox, full))
            && !IsInside(layout.PromptRecords, full)
            && !IsInside(layout.Inbox, full)
            && !IsInside(layout.State, full)
            && !Path.GetRelativePath(layout.Root, full).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));
        return allowed
            ? produced
            : throw new UsageException($"replay: '{ReplayDiff.Printable(shown)}' names '{ReplayDiff.Printable(produced)}' as its file, which is not a .md note or draft under the notes or drafts folder; nothing was written.");
    }

    /// <summary>The original file's folder, or the step's folder when a record names a place outside the vault.</summary>
    private static string OutputFolder(VaultLayout layout, string produced, IThreadStep step)
    {
        var original = layout.Absolute(produced);
        return IsInside(layout.Root, original) && Path.GetDirectoryName(original) is { } folder
            ? folder
            : step.Folder(layout);
    }

    /// <summary>The original file's body when it is as written; else a fresh rendering of the recorded answer, saying why.</summary>
    private static (string Body, string Against) Baseline(VaultLayout layout, PromptRecordData record, string produced, Recorded recorded)
    {
        var file = layout.Absolute(produced);
        string why;
        if (IsInside(layout.Root, file) && File.Exists(file))
        {
            var text = File.ReadAllText(file);
            if (!record.ProducedSha256.TryGetValue(produced, out var sha) || Hashing.Sha256(text) == sha)
            {
                return (Frontmatter.Body(text), produced);
            }

            why = $"{produced} was edited after it was written";
        }
        else
        {
            why = $"{produced} is gone";
        }

        return (Frontmatter.Body(recorded.RenderOriginal()), $"a fresh rendering of the recorded answer ({why})");
    }

    private static void Report(
        CliConsole console,
        ReplayRequest replay,
        PromptRecordData record,
        LlmRequest request,
        LlmResponse response,
        ProviderInfo provider,
        string shown,
        string outputPath,
        string recordPath,
        string baseline,
        string against,
        string body)
    {
        var colour = !console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var before = record.Request.Settings;
        var after = request.Settings;
        var output = console.Out;
        var how = replay.Offline
            ? "offline (no LLM call; re-rendered from the recorded answer)"
            : $"online ({provider.Provider} at {ReplayDiff.Printable(provider.EndpointHost)})";
        output.WriteLine(Invariant($"Replayed {request.Step} from {ReplayDiff.Printable(shown)}: model {ReplayDiff.Printable(after.Model)}, temperature {Show(after.Temperature)}, {how}"));
        if (after.Model != before.Model)
        {
            output.WriteLine(Invariant($"  model overridden: {ReplayDiff.Printable(before.Model)} -> {ReplayDiff.Printable(after.Model)}"));
        }

        if (after.Temperature != before.Temperature)
        {
            output.WriteLine(Invariant($"  temperature overridden: {Show(before.Temperature)} -> {Show(after.Temperature)}"));
        }

        output.WriteLine("Wrote " + outputPath);
        output.WriteLine("Wrote " + recordPath);
        output.WriteLine();
        output.WriteLine("Changes against " + ReplayDiff.Printable(against) + ":");
        output.Write(ReplayDiff.Format(baseline, body, colour) ?? "  (no change)\n");
        output.WriteLine();

        var (oldPrint, newPrint) = (record.Response.SystemFingerprint ?? "none", response.SystemFingerprint ?? "none");
        output.WriteLine(replay.Offline
            ? $"System fingerprint: {ReplayDiff.Printable(oldPrint)} (offline: no new answer)"
            : oldPrint == newPrint
                ? $"System fingerprint: unchanged ({ReplayDiff.Printable(newPrint)})"
                : $"System fingerprint: CHANGED {ReplayDiff.Printable(oldPrint)} -> {ReplayDiff.Printable(newPrint)} (the provider's backend changed; answers may differ for that reason alone)");
        output.WriteLine(Invariant($"Tokens: recorded {Tokens(record.Response.Usage)}, now {Tokens(response.Usage)}"));
    }

    private static string Tokens(LlmUsage usage) =>
        Invariant($"{Show(usage.InputTokens)} in + {Show(usage.OutputTokens)} out");

    private static string Show(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "default";

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path));
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The recorded document, and how its step renders it again.</summary>
    private sealed class Recorded(IThreadStep step, JsonNode document, string shown)
    {
        /// <summary>The original file as the current renderer would write it.</summary>
        public string RenderOriginal() => Guard(() => step.RenderRecorded(document)).Markdown;

        /// <summary>The document with the (new) answer, rendered by the current renderer.</summary>
        public StepFile Render(JsonElement answer, ReplayContext context) => step.Rerender(document, answer, context);

        /// <summary>Checks the recorded document reads at all: a damaged one is a usage error, not a failed answer.</summary>
        public void Check() => Guard(() => step.RenderRecorded(document));

        private StepFile Guard(Func<StepFile> render)
        {
            try
            {
                return render();
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or JsonException or KeyNotFoundException)
            {
                // A damaged field (a source_ref outside the vault, a number where text belongs): one line, exit 2.
                throw new UsageException($"replay: '{shown}': the prompt record is damaged: {OneLine(e.Message)}");
            }
        }
    }
}
