using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

internal sealed record WaitingItem(string Name, long Bytes, DateTimeOffset Modified);

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
    string? LlmProblem)
{
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
    public static StatusReport Gather(VaultLayout layout, DateOnly today, TimeZoneInfo zone, string endpoint, string model, string? llmProblem)
    {
        var waiting = InboxItems.List(layout.Inbox)
            .Select(p => new FileInfo(p))
            .Select(f => new WaitingItem(f.Name, f.Length, f.LastWriteTimeUtc))
            .ToList();

        var failed = Directory.Exists(layout.Failed)
            ? Directory.EnumerateFiles(layout.Failed)
                .Where(p => !p.EndsWith(".error.md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .Select(p => new FailedItem(Path.GetFileName(p), FailureReason(p + ".error.md")))
                .ToList()
            : [];

        int processedToday = 0, processedTotal = 0, threads = 0;
        var drafts = new List<string>();
        if (File.Exists(layout.LedgerPath))
        {
            using var ledger = new Ledger.Ledger(layout.LedgerPath);
            var done = ledger.Items(ItemStates.Done);
            processedTotal = done.Count;
            processedToday = done.Count(i => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(i.UpdatedAt, zone).DateTime) == today);
            threads = ledger.CountThreads();
            drafts.AddRange(ledger.PendingDraftPaths().Where(p => IsPending(layout.Absolute(p))));
        }

        return new StatusReport(layout.Root, layout.LedgerPath, waiting, processedToday, processedTotal, threads, failed, drafts, endpoint, model, llmProblem is null, llmProblem);
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Vault:      {Vault}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Ledger:     {Ledger}");
        text.AppendLine(CultureInfo.InvariantCulture, $"LLM:        {LlmModel} at {LlmEndpoint}: {(LlmReachable ? "answers" : "NOT usable: " + LlmProblem)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"IMAP:       {Imap.Describe()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Waiting:    {Waiting.Count} item(s) in the inbox");
        foreach (var item in Waiting)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item.Name} ({item.Bytes:N0} bytes)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Processed:  {ProcessedToday} today, {ProcessedTotal} in total ({Threads} threads and transcripts)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Failed:     {Failed.Count}");
        foreach (var item in Failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item.Name}: {item.Reason}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Drafts:     {PendingDrafts.Count} pending");
        foreach (var draft in PendingDrafts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {draft}");
        }

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
