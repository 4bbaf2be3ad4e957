using MimeKit;

namespace ReplyDrafter.Imap;

/// <summary>One message read from a watched folder; <see cref="Message"/> was fetched with BODY.PEEK (left unread).</summary>
internal sealed record ImapMessage(
    string Account,
    string Folder,
    uint UidValidity,
    uint Uid,
    DateTimeOffset InternalDate,
    MimeMessage Message);
