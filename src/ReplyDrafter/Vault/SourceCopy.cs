using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Vault;

/// <summary>The readable markdown copy of one email in <c>Sources/Email/YYYY/</c>.</summary>
internal static class SourceCopy
{
    /// <summary>Longest file name stem (without ".md"), per SPEC §1.</summary>
    public const int MaxStemLength = 80;

    // "yyyy-MM-dd_HHmmss_nnnn_" ahead of the subject slug.
    private const int PrefixLength = 23;

    /// <summary>
    /// <c>YYYY-MM-DD_HHMMSS_&lt;n&gt;_&lt;Subject-Slug&gt;.md</c>; n is derived from the Message-ID, so it is deterministic.
    /// The time is the sender's wall clock (the offset written in the Date header), as the mail client shows it.
    /// </summary>
    public static string FileName(EmailMessage message) => Stem(message) + ".md";

    /// <summary><see cref="FileName"/> without the extension: what a wikilink to the copy uses.</summary>
    public static string Stem(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var when = message.Date.ToString("yyyy-MM-dd_HHmmss", CultureInfo.InvariantCulture);
        var slug = Slug.Make(message.Subject ?? string.Empty, MaxStemLength - PrefixLength);
        return $"{when}_{MessageNumber(message.MessageId)}_{slug}";
    }

    /// <summary>The folder under the vault, <c>Sources/Email/YYYY</c> by default, year of <see cref="EmailMessage.Date"/>.</summary>
    public static string YearFolder(EmailMessage message, string sourcesFolder = "Sources/Email")
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{sourcesFolder.TrimEnd('/', '\\')}/{message.Date.ToString("yyyy", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Frontmatter (from, to, cc, date, subject, message_id, in_reply_to, references, attachments) and the body.</summary>
    /// <remarks>Ids are written in header form, <c>&lt;id@host&gt;</c>. Body lines that markdown would turn into
    /// headings, tasks, rules or fences are backslash-escaped, so a mail cannot plant a task in the user's task lists.</remarks>
    public static string Render(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        var fields = new List<KeyValuePair<string, object?>>
        {
            new("from", message.From.Display),
            new("to", message.To.Select(party => party.Display).ToList()),
            new("cc", message.Cc.Select(party => party.Display).ToList()),
            new("date", message.Date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            new("subject", message.Subject),
            new("message_id", AngleId(message.MessageId)),
            new("in_reply_to", string.IsNullOrWhiteSpace(message.InReplyTo) ? null : AngleId(message.InReplyTo)),
            new("references", message.References.Select(AngleId).ToList()),
            new("attachments", message.Attachments.Select(DescribeAttachment).ToList()),
        };

        var subject = TextFolding.SingleLine(message.Subject);
        var builder = new StringBuilder(Frontmatter.Write(fields))
            .Append('\n')
            .Append("# ").Append(subject.Length == 0 ? "(no subject)" : MarkdownText.Heading(subject)).Append('\n');

        var body = MarkdownText.Verbatim(message.Body);
        if (body.Length > 0)
        {
            builder.Append('\n').Append(body).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>"report.pdf (application/pdf, 12.3 kB)".</summary>
    public static string DescribeAttachment(AttachmentInfo attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var name = TextFolding.SingleLine(attachment.FileName);
        var type = TextFolding.SingleLine(attachment.ContentType);
        return $"{(name.Length == 0 ? "(unnamed)" : name)} ({(type.Length == 0 ? "application/octet-stream" : type)}, {FormatSize(attachment.Size)})";
    }

    /// <summary>Decimal units, one decimal place: "512 B", "12.3 kB", "4.0 MB".</summary>
    public static string FormatSize(long bytes)
    {
        if (bytes < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(bytes, 0)} B");
        }

        string[] units = ["kB", "MB", "GB", "TB"];
        double size = bytes;
        var unit = -1;
        while (size >= 999.95 && unit < units.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{size:0.0} {units[unit]}");
    }

    private static string MessageNumber(string messageId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(StripAngles(messageId)));
        return (BinaryPrimitives.ReadUInt32BigEndian(hash) % 10_000).ToString("D4", CultureInfo.InvariantCulture);
    }

    private static string AngleId(string id) => $"<{StripAngles(id)}>";

    private static string StripAngles(string id) => TextFolding.SingleLine(id).Trim('<', '>', ' ');
}
