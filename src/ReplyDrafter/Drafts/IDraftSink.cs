using MimeKit;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Drafts;

/// <summary>
/// Somewhere a written draft goes besides its Outbox file (which is always written first and stays the record of the
/// draft): the IMAP server's Drafts folder (<c>Imap/ImapDraftSink</c>). Register implementations as
/// <see cref="IDraftSink"/> (enumerable); the draft step calls every one, in registration order, after the Outbox file
/// and its prompt record are in place and before the thread is recorded as done.
/// </summary>
/// <remarks>
/// Crash safety: a crash after a sink returns but before the thread is recorded makes the pipeline deliver the same
/// draft again on the next run, so <see cref="DeliverAsync"/> must be idempotent per
/// (<see cref="DraftDelivery.ThreadId"/>, <see cref="DraftDelivery.AnswersMessageId"/>): e.g. look its own
/// Message-ID up on the server before appending again. An exception fails the thread like any other step (its items go
/// to <c>_failed/</c> with the message as reason); a sink that should not hold up the vault (a server that is down)
/// catches its own transport errors and retries later on its own.
/// </remarks>
internal interface IDraftSink
{
    /// <summary>Delivers a new draft for a thread. Replaces this sink's own earlier draft of the thread only while the user has not touched it.</summary>
    Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken);

    /// <summary>
    /// The thread's pending draft is superseded (a newer message arrived and needs no draft, or the user answered):
    /// remove this sink's copy when the user has not touched it; leave an edited, moved or deleted one alone.
    /// </summary>
    /// <returns><see cref="DraftWithdrawal.KeptEdited"/> when the user edited this sink's copy (the pipeline then keeps the Outbox draft too).</returns>
    Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken);
}

/// <summary>What a sink did with its copy of a superseded draft.</summary>
internal enum DraftWithdrawal
{
    /// <summary>There was none (never delivered, or the user moved, sent or deleted it).</summary>
    Gone,

    /// <summary>Untouched, and now removed.</summary>
    Removed,

    /// <summary>The user edited it: it stays where it is.</summary>
    KeptEdited,

    /// <summary>The sink could not tell (e.g. its server was unreachable); its copy is left as it was.</summary>
    Unknown,
}

/// <summary>A draft as written to the Outbox, with the thread it answers.</summary>
/// <param name="ThreadId">The ledger's thread id: the key a sink keeps its own state under.</param>
/// <param name="OutboxPath">Vault-relative path of the draft's Outbox file.</param>
/// <param name="Draft">
/// Everything the Outbox file shows: header-only addressing (<see cref="DraftDocument.To"/>, <see cref="DraftDocument.Cc"/>,
/// never chosen by the model), <see cref="DraftDocument.Subject"/> ("Re: ..."), <see cref="DraftDocument.InReplyTo"/>,
/// the response text (<see cref="DraftDocument.Content"/>) and <see cref="DraftDocument.Signature"/>.
/// </param>
/// <param name="Thread">The thread's messages, oldest first: their Message-IDs make the References chain; the last is the one answered (and quoted).</param>
/// <param name="To">The reply's recipient as parsed from the original's headers (the Outbox text is never parsed back).</param>
/// <param name="Cc">The reply-all copies, likewise.</param>
internal sealed record DraftDelivery(
    string ThreadId, string OutboxPath, DraftDocument Draft, IReadOnlyList<EmailMessage> Thread, MailboxAddress? To, IReadOnlyList<MailboxAddress> Cc)
{

    /// <summary>The message the draft answers (the one to quote below the reply).</summary>
    public EmailMessage Original => Thread[^1];

    public string AnswersMessageId => Original.MessageId;

    /// <summary>The <c>References</c> chain for a reply: the original's references, then the original itself (RFC 5322 §3.6.4).</summary>
    public IReadOnlyList<string> References =>
        Original.References.Append(Original.MessageId).Where(id => !MessageIds.IsSynthesized(id)).Distinct(StringComparer.Ordinal).ToList();
}
