namespace ReplyDrafter.Inbox;

/// <summary>The <c>ReplyDrafter:Inbox</c> section: how the inbox folder is watched.</summary>
public sealed class InboxOptions
{
    public const string Section = "ReplyDrafter:Inbox";

    /// <summary>Full rescan period; the file watcher alone drops events.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A file is read only once its size and modification time have not changed for this long.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>run --once</c> waits for an unreachable LLM before it gives up.</summary>
    public TimeSpan OnceLlmWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long in-flight work may finish after Ctrl-C / SIGTERM before it is abandoned (and redone next start).</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Larger inbox files are failed with a message instead of being read.</summary>
    public long MaxItemBytes { get; set; } = 64L * 1024 * 1024;
}
