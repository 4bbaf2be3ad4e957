using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

/// <param name="NotRead">Why the entry will not be read (a link, a FIFO, a device), or null for a regular file.</param>
internal sealed record WaitingItem(string Name, long Bytes, DateTimeOffset Modified, string? NotRead = null)
{
    /// <summary>One line for the console: the name escaped, and why it is not read when it is not.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Display => Security.ControlText.FileNameForConsole(Name) + (NotRead is null
        ? string.Create(CultureInfo.InvariantCulture, $" ({Bytes:N0} bytes)")
        : $" (not read: {NotRead})");

    /// <summary>Judged without following a link or opening the entry (a FIFO would block, /dev/zero has no end).</summary>
    public static WaitingItem Of(string path)
    {
        var kind = Security.InboxFile.Inspect(path);
        if (kind != Security.InboxEntryKind.RegularFile)
        {
            return new WaitingItem(Path.GetFileName(path), 0, default, Security.InboxFile.Describe(kind));
        }

        var file = new FileInfo(path);
        return new WaitingItem(file.Name, file.Length, file.LastWriteTimeUtc);
    }
}

internal sealed record FailedItem(string Name, string Reason);

/// <summary>What <c>replydrafter status</c> shows: the inbox, the ledger's counts, failures, pending drafts, the LLM.</summary>
internal sealed record StatusReport(
    string Vault,
    string Ledger,
    IReadOnlyList<WaitingItem> Waiting,
    int ProcessedToday,
    int ProcessedTotal,
    int Threads,
    IReadOnlyList<FailedItem> Failed,
    IReadOnlyList<string> PendingDrafts,
    string LlmEndpoint,
    string LlmModel,
    bool LlmReachable,
    string? LlmProblem,
    Status.UsageStatus LlmUsage,
    Learning.OutcomeReport? Outcomes = null)
{
    /// <summary>The settings files that were read, lowest precedence first ("role: path"); environment and command line come after them.</summary>
    public IReadOnlyList<string> SettingsFiles { get; init; } = [];

    /// <summary>The IMAP connection and failed IMAP messages (<see cref="Status.ImapStatus"/>).</summary>
    public Status.ImapStatus Imap { get; init; } = Status.ImapStatus.Off;

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads the vault without changing it: a vault that never ran has no ledger yet, and gets none.</summary>
    public static StatusReport Gather(VaultLayout layout, DateOnly today, TimeZoneInfo zone, LlmOptions llm, string? llmProblem, Learning.LearningOptions? learning = null, DateTimeOffset? now = null)
    {
        var waiting = InboxItems.List(layout.Inbox).Select(WaitingItem.Of).ToList();

        var failed = Directory.Exists(layout.Failed)
            ? Directory.EnumerateFiles(layout.Failed)
                .Where(p => !p.EndsWith(".error.md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(p => new FailedItem(Path.GetFileName(p), FailureReason(p + ".error.md")))
                .ToList()
            : [];

        int processedToday = 0, processedTotal = 0, threads = 0;
        var drafts = new List<string>();
        Learning.OutcomeReport? outcomes = null;
        var usage = Status.UsageStatus.None(llm);
        if (File.Exists(layout.LedgerPath))
        {
            using var ledger = new Ledger.VaultLedger(layout.LedgerPath);
            var done = ledger.Items(ItemStates.Done);
            processedTotal = done.Count;
            processedToday = done.Count(i => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i.UpdatedAt, zone).DateTime) == today);
            threads = ledger.CountThreads();
            drafts.AddRange(ledger.PendingDraftPaths().Where(p => IsPending(layout.Absolute(p))));
            outcomes = Status.LearningStatus.Gather(ledger, (learning ?? new()).IgnoredAfter, now ?? DateTimeOffset.UtcNow);
            usage = Status.UsageStatus.Gather(ledger, today, llm);
        }

        return new StatusReport(layout.Root, layout.LedgerPath, waiting, processedToday, processedTotal, threads, failed, drafts, Security.Redaction.Url(llm.Endpoint), llm.Deployment, llmProblem is null, llmProblem, usage, outcomes);
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Vault:      {Vault}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Ledger:     {Ledger}");
        text.AppendLine(CultureInfo.InvariantCulture, $"LLM:        {LlmModel} at {LlmEndpoint}: {(LlmReachable ? "answers" : "NOT usable: " + LlmProblem)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"LLM use:    {LlmUsage.Describe().Replace("\n", "\n            ", StringComparison.Ordinal)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"IMAP:       {Imap.Describe()}");
        foreach (var message in Imap.Failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Security.ControlText.Escape(message.Name)}: {Security.ControlText.Escape(message.Reason)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Waiting:    {Waiting.Count} item(s) in the inbox");
        foreach (var item in Waiting)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item.Display}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Processed:  {ProcessedToday} today, {ProcessedTotal} in total ({Threads} threads and transcripts)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Failed:     {Failed.Count}");
        foreach (var item in Failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {Security.ControlText.FileNameForConsole(item.Name)}: {Security.ControlText.Escape(item.Reason)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Drafts:     {PendingDrafts.Count} pending");
        foreach (var draft in PendingDrafts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {draft}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Outcomes:   {string.Join("\n            ", Outcomes is null ? ["none yet"] : Status.LearningStatus.Lines(Outcomes))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Settings:   {string.Join("\n            ", SettingsFiles.Count == 0 ? ["defaults, environment and command line only"] : SettingsFiles)}");
        return text.ToString();
    }

    private static bool IsPending(string path)
    {
        try
        {
            return File.Exists(path) && DraftFile.ReadStatus(File.ReadAllText(path)) == DraftRenderer.PendingStatus;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The first paragraph under the heading of NAME.error.md.</summary>
    private static string FailureReason(string errorFile)
    {
        if (!File.Exists(errorFile))
        {
            return "no reason recorded";
        }

        var lines = File.ReadAllLines(errorFile);
        return lines.SkipWhile(l => l.StartsWith('#') || string.IsNullOrWhiteSpace(l)).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no reason recorded";
    }
}
