using MimeKit;

namespace ReplyDrafter.Imap;

/// <summary>
/// What the Drafts-folder copy of a draft is made of. Addressing comes from the pipeline's header-only addressing
/// (never from the LLM). <see cref="MessageId"/> null: a stable id derived from the content, so writing the same draft
/// again finds the first copy instead of adding a second.
/// </summary>
internal sealed record DraftReply(
    MailboxAddress From,
    IReadOnlyList<MailboxAddress> To,
    IReadOnlyList<MailboxAddress> Cc,
    string Subject,
    string? InReplyTo,
    IReadOnlyList<string> References,
    string Response,
    string? Signature,
    DateTimeOffset Date,
    QuotedOriginal? Original = null,
    string? MessageId = null);

/// <summary>The message being answered, quoted below the draft as <c>On &lt;date&gt;, &lt;name&gt; wrote:</c>.</summary>
internal sealed record QuotedOriginal(DateTimeOffset Date, string Name, string Text);

internal enum DraftAppendOutcome
{
    /// <summary>Appended to the Drafts folder now.</summary>
    Appended,

    /// <summary>A copy with this Message-ID was already there (a crash after an earlier APPEND): nothing added.</summary>
    AlreadyPresent,

    /// <summary>No Drafts folder configured or marked <c>\Drafts</c>: the draft lives in Outbox/ only.</summary>
    NoDraftsFolder,
}

/// <param name="MessageId">Our Message-ID of the draft (kept in imap.db to supersede it later).</param>
/// <param name="ReplacedPrevious">True when an older, untouched draft of ours for the thread was removed.</param>
internal sealed record DraftAppendResult(DraftAppendOutcome Outcome, string MessageId, string? Folder, bool ReplacedPrevious);
