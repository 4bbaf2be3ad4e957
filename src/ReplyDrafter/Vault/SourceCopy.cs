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

    /// <summary>Most items a frontmatter list keeps; the rest are listed in the body under "Headers in full".</summary>
    public const int MaxListItems = 100;

    /// <summary>Longest frontmatter value (a display name, an id, the subject), in UTF-16 chars.</summary>
    public const int MaxValueChars = 998; // RFC 5322's line limit: no honest header value is longer

    // Room left for the rest when a hostile message needs harder caps: well under Frontmatter's 256 KB read limit.
    private const int FrontmatterBudgetChars = 192 * 1024;

    /// <summary>Frontmatter (from, to, cc, date, subject, message_id, in_reply_to, references, attachments) and the body.</summary>
    /// <remarks>Ids are written in header form, <c>&lt;id@host&gt;</c>. Body lines that markdown would turn into
    /// headings, tasks, rules or fences are backslash-escaped, so a mail cannot plant a task in the user's task lists.
    /// Lists longer than <see cref="MaxListItems"/> and values longer than <see cref="MaxValueChars"/> are shortened
    /// in the frontmatter (named in <c>shortened</c>) so that it always reads back; the full values follow the body
    /// under "Headers in full".</remarks>
    public static string Render(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        var to = message.To.Select(party => party.Display).ToList();
        var cc = message.Cc.Select(party => party.Display).ToList();
        var references = message.References.Select(AngleId).ToList();
        var attachments = message.Attachments.Select(DescribeAttachment).ToList();
        var messageId = AngleId(message.MessageId);
        var inReplyTo = string.IsNullOrWhiteSpace(message.InReplyTo) ? null : AngleId(message.InReplyTo);

        string frontmatter;
        var shortened = new List<string>();
        var (maxItems, maxChars) = (MaxListItems, MaxValueChars);
        while (true)
        {
            shortened.Clear();
            var fields = new List<KeyValuePair<string, object?>>
            {
                new("from", Cap("from", message.From.Display)),
                new("to", CapList("to", to)),
                new("cc", CapList("cc", cc)),
                new("date", message.Date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
                new("subject", Cap("subject", message.Subject)),
                new("message_id", Cap("message_id", messageId)),
                new("in_reply_to", inReplyTo is null ? null : Cap("in_reply_to", inReplyTo)),
                new("references", CapList("references", references)),
                new("attachments", CapList("attachments", attachments)),
            };
            if (shortened.Count > 0)
            {
                fields.Add(new("shortened", shortened.ToList()));
            }

            // Escapes can make a capped value several times longer in YAML; tighten until the block fits.
            var estimate = fields.Sum(field => field.Key.Length + field.Value switch
            {
                string text => YamlScalar.Format(text).Length + 4,
                List<string> items => items.Sum(item => YamlScalar.Format(item).Length + 4),
                _ => 16,
            });
            if (estimate <= FrontmatterBudgetChars || maxChars <= 16)
            {
                frontmatter = Frontmatter.WriteInert(fields);
                break;
            }

            (maxItems, maxChars) = (Math.Max(maxItems / 2, 4), maxChars / 2);
        }

        var subject = TextFolding.SingleLine(message.Subject);
        var builder = new StringBuilder(frontmatter)
            .Append('\n')
            .Append("# ").Append(subject.Length == 0 ? "(no subject)" : MarkdownText.Heading(subject)).Append('\n');

        var body = MarkdownText.Verbatim(message.Body);
        if (body.Length > 0)
        {
            builder.Append('\n').Append(body).Append('\n');
        }

        if (shortened.Count > 0)
        {
            builder.Append("\n## Headers in full\n\n");
            AppendFull(builder, "From", [message.From.Display], "from");
            AppendFull(builder, "To", to, "to");
            AppendFull(builder, "Cc", cc, "cc");
            AppendFull(builder, "Subject", [message.Subject ?? string.Empty], "subject");
            AppendFull(builder, "Message-ID", [messageId], "message_id");
            AppendFull(builder, "In-Reply-To", inReplyTo is null ? [] : [inReplyTo], "in_reply_to");
            AppendFull(builder, "References", references, "references");
            AppendFull(builder, "Attachments", attachments, "attachments");
        }

        return builder.ToString();

        string Cap(string key, string? value)
        {
            var text = value ?? string.Empty;
            if (text.Length <= maxChars)
            {
                return text;
            }

            shortened.Add(key);
            return Shorten(text, maxChars);
        }

        List<string> CapList(string key, List<string> items)
        {
            var tooMany = items.Count > maxItems;
            var tooLong = items.Take(maxItems).Any(item => item.Length > maxChars);
            if (!tooMany && !tooLong)
            {
                return items;
            }

            shortened.Add(key);
            return items.Take(maxItems).Select(item => item.Length <= maxChars ? item : Shorten(item, maxChars)).ToList();
        }

        void AppendFull(StringBuilder target, string label, IReadOnlyList<string> values, string key)
        {
            if (!shortened.Contains(key))
            {
                return;
            }

            target.Append("**").Append(label).Append("** (").Append(values.Count.ToString(CultureInfo.InvariantCulture)).Append("):\n\n");
            foreach (var value in values)
            {
                target.Append("- ").Append(MarkdownText.Inline(value)).Append('\n');
            }

            target.Append('\n');
        }
    }

    // "…" marks the cut; never inside a surrogate pair.
    private static string Shorten(string text, int maxChars)
    {
        var cut = maxChars - 1;
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "\u2026");
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
