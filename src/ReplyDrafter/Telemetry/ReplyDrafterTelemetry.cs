using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReplyDrafter.Telemetry;

/// <summary>
/// The daemon's own spans and metrics: a span per thread and per inbox item; counters for items done, failed and
/// waiting and drafts written; the IMAP connection state. Instruments cost nothing while nobody listens.
/// </summary>
internal sealed class ReplyDrafterTelemetry : IDisposable
{
    public const string SourceName = "ReplyDrafter";

    /// <summary>The name the LLM's GenAI spans and metrics come under (Microsoft.Extensions.AI's OpenTelemetry client).</summary>
    public const string LlmSourceName = "ReplyDrafter.Llm";

    private readonly Counter<long> _itemsDone;
    private readonly Counter<long> _itemsFailed;
    private readonly Counter<long> _itemsWaiting;
    private readonly Counter<long> _draftsWritten;
    private string _imapState = "none";

    public ReplyDrafterTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Source = new ActivitySource(SourceName, typeof(ReplyDrafterTelemetry).Assembly.GetName().Version?.ToString());
        var meter = meterFactory.Create(SourceName);
        _itemsDone = meter.CreateCounter<long>("replydrafter.items.done", "{item}", "Inbox items processed to a note (and draft when one was needed).");
        _itemsFailed = meter.CreateCounter<long>("replydrafter.items.failed", "{item}", "Inbox items moved aside with a reason.");
        _itemsWaiting = meter.CreateCounter<long>("replydrafter.items.waiting", "{item}", "Times an item was left waiting (LLM unreachable), per batch.");
        _draftsWritten = meter.CreateCounter<long>("replydrafter.drafts.written", "{draft}", "Draft replies written to the outbox.");
        meter.CreateObservableGauge(
            "replydrafter.imap.connection",
            () => new Measurement<int>(1, new KeyValuePair<string, object?>("state", Volatile.Read(ref _imapState))),
            "{connection}",
            "The IMAP connection's state (the 'state' attribute: none, connecting, idle, polling, reconnecting, auth_failed).");
    }

    public ActivitySource Source { get; }

    /// <summary>A span for one thread's note and draft; dispose it when the thread is done.</summary>
    public Activity? StartThread(string threadKey, int messages)
    {
        var activity = Source.StartActivity("replydrafter.thread");
        activity?.SetTag("replydrafter.thread.key", threadKey);
        activity?.SetTag("replydrafter.thread.messages", messages);
        return activity;
    }

    /// <summary>A span for one inbox item (a file or an IMAP message); the name only, never its content.</summary>
    public Activity? StartItem(string itemName, string source = "folder")
    {
        var activity = Source.StartActivity("replydrafter.item");
        activity?.SetTag("replydrafter.item.name", itemName);
        activity?.SetTag("replydrafter.item.source", source);
        return activity;
    }

    public void ItemDone(string source = "folder") => _itemsDone.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>Counts the failure and marks the current span as failed with the readable reason.</summary>
    public void ItemFailed(string reason, string source = "folder")
    {
        _itemsFailed.Add(1, new KeyValuePair<string, object?>("source", source));
        Activity.Current?.SetStatus(ActivityStatusCode.Error, reason);
    }

    public void ItemsWaiting(int count, string source = "folder")
    {
        if (count > 0)
        {
            _itemsWaiting.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void DraftWritten() => _draftsWritten.Add(1);

    /// <summary>What the IMAP source is doing now (a short lower-case word).</summary>
    public void SetImapState(string state) => Volatile.Write(ref _imapState, state);

    public void Dispose() => Source.Dispose();
}
