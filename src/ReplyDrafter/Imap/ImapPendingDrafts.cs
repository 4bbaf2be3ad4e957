using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ReplyDrafter.Imap;

/// <summary>
/// Drafts the Drafts folder could not take when they were written (server down, APPEND refused as over quota, no Drafts
/// folder yet), kept in imap.db and appended once the server takes them: on their own schedule in the daemon
/// (<see cref="RetryAsync"/>), and after each catch-up of the daemon and of <c>run --once</c>. Oldest first; only the newest draft
/// of a thread waits (a newer one replaces it), and a withdrawn thread's draft is forgotten. Exactly once: the writer
/// looks the draft's Message-ID up before APPEND, and the row goes only after the server took it.
/// </summary>
internal sealed partial class ImapPendingDrafts(ImapDraftWriter writer, ImapStateStore store, TimeProvider time, ILogger<ImapPendingDrafts> logger) : IDisposable
{
    /// <summary>The first retry of a waiting draft; later ones double up to <see cref="RetryMaxDelay"/>.</summary>
    internal static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Short enough that a quota freed or a Drafts folder created is noticed soon, long enough not to hammer a refusing server.</summary>
    internal static readonly TimeSpan RetryMaxDelay = TimeSpan.FromMinutes(10);

    // The sink (pipeline) and the retry (IMAP worker) run side by side: one of them at a time decides what a thread's
    // server draft is, so a retry never appends a draft the pipeline superseded a moment before.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    // Released when a draft starts waiting: wakes the retry loop, which otherwise sleeps while nothing waits.
    private readonly SemaphoreSlim _added = new(0, 1);

    /// <summary>Raised before each wait for the next retry (with its delay), so tests move their clock only once the timer is set.</summary>
    internal event Action<TimeSpan>? RetryScheduled;

    /// <summary>Raised after each retry pass with the number of drafts still waiting.</summary>
    internal event Action<int>? RetryPassed;

    public void Dispose()
    {
        _oneAtATime.Dispose();
        _added.Dispose();
    }

    /// <summary>Held by the sink around each delivery or withdrawal.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _oneAtATime.WaitAsync(cancellationToken);

    public void Exit() => _oneAtATime.Release();

    public void Add(string threadId, string outboxPath, DraftReply reply)
    {
        store.AddPendingDraft(threadId, outboxPath, JsonSerializer.Serialize(PendingReplyJson.Of(reply), PendingDraftJsonContext.Default.PendingReplyJson));
        Signal();
    }

    /// <summary>
    /// The daemon's retry schedule: while drafts wait, tries them after <see cref="RetryDelay"/>, doubling up to
    /// <see cref="RetryMaxDelay"/>; a refused APPEND or a missing Drafts folder is not fixed by new mail arriving, so
    /// this does not wait for it. Drafts waiting from before a restart are tried at the first pass. Ends with the token.
    /// </summary>
    public async Task RetryAsync(CancellationToken cancellationToken)
    {
        Signal();
        while (true)
        {
            await _added.WaitAsync(cancellationToken);
            int failures = 0;
            while (store.PendingDraftCount() > 0)
            {
                double factor = Math.Pow(2, Math.Min(failures++, 16));
                var delay = TimeSpan.FromTicks((long)Math.Min(RetryMaxDelay.Ticks, RetryDelay.Ticks * factor));
                RetryScheduled?.Invoke(delay);
                await Task.Delay(delay, time, cancellationToken);
                try
                {
                    await DeliverAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not a transport error (a bug, a full disk under imap.db): the drafts stay in Outbox/ and imap.db; tried again later.
                    LogRetryFailed(logger, e.Message);
                }

                RetryPassed?.Invoke(store.PendingDraftCount());
            }
        }
    }

    private void Signal()
    {
        try
        {
            if (_added.CurrentCount == 0)
            {
                _added.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>A newer draft of the thread reached the server, or the thread's draft was withdrawn.</summary>
    public void Forget(string threadId) => store.RemovePendingDrafts(threadId);

    /// <summary>Appends every waiting draft in order; stops at the first transport error (the rest wait for the next catch-up).</summary>
    /// <returns>How many reached the Drafts folder.</returns>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        int delivered = 0;
        long after = 0;
        while (true)
        {
            await EnterAsync(cancellationToken);
            try
            {
                // Read again each time: the pipeline may have superseded or withdrawn a draft meanwhile.
                if (store.PendingDrafts().FirstOrDefault(p => p.Seq > after) is not { } pending)
                {
                    break;
                }

                after = pending.Seq;
                if (!await DeliverOneAsync(pending, cancellationToken))
                {
                    break;
                }

                delivered++;
            }
            finally
            {
                Exit();
            }
        }

        if (delivered > 0)
        {
            LogDelivered(logger, delivered);
        }

        return delivered;
    }

    /// <returns>False when the server could not be reached (the draft keeps waiting).</returns>
    private async Task<bool> DeliverOneAsync(ImapPendingDraft pending, CancellationToken cancellationToken)
    {
        DraftReply reply;
        try
        {
            reply = (JsonSerializer.Deserialize(pending.ReplyJson, PendingDraftJsonContext.Default.PendingReplyJson)
                ?? throw new JsonException("empty")).ToReply();
        }
        catch (Exception e) when (e is JsonException or ParseException)
        {
            // Unreadable (hand-edited imap.db): the Outbox file stays the record of the draft.
            LogUnreadable(logger, pending.OutboxPath, e.Message);
            store.RemovePendingDraft(pending.Seq);
            return true;
        }

        try
        {
            var result = await writer.WriteAsync(reply, store.GetDraft(pending.ThreadId), cancellationToken);
            if (result.Outcome == DraftAppendOutcome.NoDraftsFolder)
            {
                return false; // still no folder to put it in (the writer said so once)
            }

            store.SetDraft(pending.ThreadId, result.MessageId);
            store.RemovePendingDraft(pending.Seq);
            return true;
        }
        catch (Exception e) when (ImapDraftSink.IsTransport(e))
        {
            LogStillWaiting(logger, pending.OutboxPath, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying the drafts waiting for the IMAP Drafts folder failed: {Reason}")]
    private static partial void LogRetryFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} waiting draft(s) written to the IMAP Drafts folder")]
    private static partial void LogDelivered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waiting draft {OutboxPath} could not be written to the IMAP Drafts folder yet: {Reason}")]
    private static partial void LogStillWaiting(ILogger logger, string outboxPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waiting draft {OutboxPath} could not be read back from imap.db and stays in Outbox/ only: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string outboxPath, string reason);
}

/// <summary>
/// <see cref="DraftReply"/> as stored in imap.db. Mailboxes are kept as name and address apart, so a display name is
/// never parsed for an address; rows written before that hold RFC 5322 text in <see cref="From"/>, <see cref="To"/>
/// and <see cref="Cc"/> (as MimeKit quoted it) and are still read.
/// </summary>
internal sealed record PendingReplyJson(
    string? From,
    IReadOnlyList<string>? To,
    IReadOnlyList<string>? Cc,
    string Subject,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string Response,
    string? Signature,
    DateTimeOffset Date,
    DateTimeOffset? OriginalDate,
    string? OriginalName,
    string? OriginalText,
    string? MessageId,
    PendingMailboxJson? FromMailbox = null,
    IReadOnlyList<PendingMailboxJson>? ToMailboxes = null,
    IReadOnlyList<PendingMailboxJson>? CcMailboxes = null)
{
    public static PendingReplyJson Of(DraftReply reply) => new(
        null,
        null,
        null,
        reply.Subject,
        reply.InReplyTo,
        reply.References,
        reply.Response,
        reply.Signature,
        reply.Date,
        reply.Original?.Date,
        reply.Original?.Name,
        reply.Original?.Text,
        reply.MessageId,
        PendingMailboxJson.Of(reply.From),
        reply.To.Select(PendingMailboxJson.Of).ToList(),
        reply.Cc.Select(PendingMailboxJson.Of).ToList());

    public DraftReply ToReply() => new(
        FromMailbox?.ToMailbox() ?? MailboxAddress.Parse(From ?? throw new JsonException("no sender")),
        ToMailboxes?.Select(m => m.ToMailbox()).ToList() ?? (To ?? []).Select(MailboxAddress.Parse).ToList(),
        CcMailboxes?.Select(m => m.ToMailbox()).ToList() ?? (Cc ?? []).Select(MailboxAddress.Parse).ToList(),
        Subject,
        InReplyTo,
        References,
        Response,
        Signature,
        Date,
        OriginalDate is { } date ? new QuotedOriginal(date, OriginalName ?? "", OriginalText ?? "") : null,
        MessageId);
}

/// <summary>A mailbox in imap.db: the display name and the address, each as it is.</summary>
internal sealed record PendingMailboxJson(string Name, string Address)
{
    public static PendingMailboxJson Of(MailboxAddress mailbox) => new(mailbox.Name ?? "", mailbox.Address);

    public MailboxAddress ToMailbox() => new(Name, Address);
}

[JsonSerializable(typeof(PendingReplyJson))]
internal sealed partial class PendingDraftJsonContext : JsonSerializerContext;
