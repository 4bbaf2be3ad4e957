using MimeKit;

namespace ReplyDrafter.Mail;

/// <summary>A person on a mail header. <see cref="Name"/> may be empty.</summary>
public sealed record MailParty(string Name, string Address)
{
    /// <summary>"Name &lt;address&gt;", or the bare address when there is no name.</summary>
    public string Display => string.IsNullOrWhiteSpace(Name) ? Address : $"{Name} <{Address}>";

    /// <summary>The name when there is one, else the address.</summary>
    public string NameOrAddress => string.IsNullOrWhiteSpace(Name) ? Address : Name;

    /// <summary>
    /// This party as a mailbox to write into a header: <see cref="Name"/> is only ever the display name (quoted or
    /// encoded when written) and is never parsed for an address; null when <see cref="Address"/> is not one address.
    /// </summary>
    public MailboxAddress? ToMailbox()
    {
        if (!MailboxAddress.TryParse(Address, out var parsed) || !string.IsNullOrEmpty(parsed.Name)
            || !string.Equals(parsed.Address, Address.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new MailboxAddress(Name.Trim(), parsed.Address);
    }
}

/// <summary>What is known of an attachment; its content is never kept.</summary>
public sealed record AttachmentInfo(string FileName, string ContentType, long Size);

/// <summary>One email message, parsed, decoded and repaired.</summary>
/// <param name="MessageId">Message-ID without angle brackets; synthesized deterministically when the header is missing.</param>
/// <param name="Body">The full body as text (quotes included), repaired of mojibake.</param>
/// <param name="OwnText">This message's own words: quoted earlier messages and the signature removed.</param>
/// <param name="AutomatedReason">Why the message is bulk or automatic (List-Unsubscribe, Precedence, Auto-Submitted, no-reply sender), or null.</param>
public sealed record EmailMessage(
    string MessageId,
    string? InReplyTo,
    IReadOnlyList<string> References,
    MailParty From,
    IReadOnlyList<MailParty> To,
    IReadOnlyList<MailParty> Cc,
    IReadOnlyList<MailParty> ReplyTo,
    DateTimeOffset Date,
    string Subject,
    string Body,
    string OwnText,
    IReadOnlyList<AttachmentInfo> Attachments,
    string? AutomatedReason)
{
    public bool IsAutomated => AutomatedReason is not null;

    /// <summary>The mailing-list headers, when the message came through a list; null for direct mail.</summary>
    public MailingList? List { get; init; }

    /// <summary>What could not be read exactly (e.g. an unknown charset in a header), for the log; empty when all was.</summary>
    public IReadOnlyList<string> ReadNotes { get; init; } = [];

    /// <summary>The Authentication-Results header values (RFC 8601), topmost (added last, nearest the user) first.</summary>
    public IReadOnlyList<string> AuthenticationResults { get; init; } = [];
}

/// <summary>What the list headers (RFC 2369/2919) say about a message that came through a mailing list.</summary>
/// <param name="Id">List-Id, or null.</param>
/// <param name="CanPost">A List-Post header with an address: a discussion list, not a newsletter.</param>
/// <param name="HasUnsubscribe">A List-Unsubscribe header.</param>
/// <param name="Precedence">The Precedence header in lower case ("list", "bulk"), or null.</param>
public sealed record MailingList(string? Id, bool CanPost, bool HasUnsubscribe, string? Precedence);

/// <summary>A meeting transcript or other headerless text note.</summary>
public sealed record TranscriptDocument(string Title, DateOnly? Date, string Text);

/// <summary>What one inbox file holds: email messages, or a transcript.</summary>
public sealed record InboxItemContent(IReadOnlyList<EmailMessage> Messages, TranscriptDocument? Transcript);

/// <summary>An inbox item that cannot be processed; <see cref="Exception.Message"/> is shown to the user.</summary>
public sealed class UnreadableItemException : Exception
{
    public UnreadableItemException(string message) : base(message) { }

    public UnreadableItemException(string message, Exception inner) : base(message, inner) { }

    public UnreadableItemException() { }
}
