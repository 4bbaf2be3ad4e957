namespace ReplyDrafter.Inbox;

/// <summary>The <c>ReplyDrafter:Inbox</c> section: how the inbox folder is watched.</summary>
public sealed class InboxOptions
{
    public const string Section = "ReplyDrafter:Inbox";

    /// <summary>Full rescan period; the file watcher alone drops events.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where no close or rename event tells that a file is complete (not Linux, or a file whose events were lost), it
    /// is read only once its size and modification time have not changed for this long.
    /// </summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>run --once</c> waits for an unreachable LLM before it gives up.</summary>
    public TimeSpan OnceLlmWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most a whole <c>run --once</c> may take; past it, it stops (exit code 1) and the next run goes on.</summary>
    public TimeSpan OnceTimeLimit { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long in-flight work may finish after Ctrl-C / SIGTERM before it is abandoned (and redone next start).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Larger inbox files are failed with a message instead of being read.</summary>
    public long MaxItemBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long reading one file may take; a file that takes longer fails with a reason and the batch goes on.</summary>
    public TimeSpan ReadBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An mbox holding more messages fails with a reason instead of costing an LLM call per thread (raise it to accept one).</summary>
    public int MaxMessagesPerItem { get; set; } = 500;
}
