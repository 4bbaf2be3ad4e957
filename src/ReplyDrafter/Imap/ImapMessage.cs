using MimeKit;

namespace ReplyDrafter.Imap;

/// <summary>One message read from a watched folder; <see cref="Message"/> was fetched with BODY.PEEK (left unread).</summary>
internal sealed record ImapMessage(
    string Account,
    string Folder,
    uint UidValidity,
    uint Uid,
    DateTimeOffset InternalDate,
    MimeMessage Message)
{
    /// <summary>Read from the Sent folder and not flagged \Draft: the user's own sent mail (when it is from the user).</summary>
    public bool FromSent { get; init; }
}
