using System.Buffers;
using MimeKit;
using MimeKit.Utils;

namespace ReplyDrafter.Mail;

/// <summary>A mailbox as one line of text (<c>Name &lt;address&gt;</c>), for files a person reads, such as the Outbox frontmatter.</summary>
internal static class MailboxText
{
    // RFC 5322 specials: a name holding one is quoted, so no reader takes an address inside the name for the address.
    private static readonly SearchValues<char> Specials = SearchValues.Create("()<>[]:;@\\,.\"");

    /// <summary>The bare address without a name; <c>"Name, with specials" &lt;address&gt;</c> quoted only when needed.</summary>
    public static string Format(MailboxAddress mailbox)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var name = mailbox.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            return mailbox.Address;
        }

        var phrase = name.AsSpan().IndexOfAny(Specials) >= 0 ? MimeUtils.Quote(name) : name;
        return $"{phrase} <{mailbox.Address}>";
    }
}
