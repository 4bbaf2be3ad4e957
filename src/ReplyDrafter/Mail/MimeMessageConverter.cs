using System.Buffers;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Text;
using MimeKit.Utils;

namespace ReplyDrafter.Mail;

/// <summary>Turns a parsed <see cref="MimeMessage"/> into an <see cref="EmailMessage"/>: text decoded and repaired, attachments described.</summary>
internal static partial class MimeMessageConverter
{
    /// <summary>Body text beyond this many characters is cut, with <see cref="TruncatedMarker"/> appended.</summary>
    public const int MaxBodyChars = 200_000;

    public const string TruncatedMarker = "[… truncated]";

    private const int MaxSubjectChars = 1_000;
    private const int MaxNameChars = 200;

    // Enough decoded bytes for MaxBodyChars in any encoding (HTML markup included); the rest is never read.
    private const int MaxBodyBytes = 4 * MaxBodyChars + 64 * 1024;

    /// <summary>Parser options: raw 8-bit headers that are not UTF-8 are read as Windows-1252, the likeliest sender encoding.</summary>
    public static ParserOptions CreateParserOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.CharsetEncoding = TextEncodings.Windows1252;
        return options;
    }

    /// <summary>True when the message has at least one header a mail message is recognised by.</summary>
    public static bool HasMailHeaders(MimeMessage message) =>
        message.Headers.Any(h => h.Id is HeaderId.From or HeaderId.Sender or HeaderId.Date or HeaderId.Subject
            or HeaderId.MessageId or HeaderId.To or HeaderId.Cc or HeaderId.InReplyTo or HeaderId.References
            or HeaderId.Received or HeaderId.ReturnPath);

    /// <param name="message">The parsed message.</param>
    /// <param name="fromMbox">True for a message of an mbox file: its body lines "&gt;From " are unescaped (mboxrd).</param>
    /// <param name="cancellationToken">Stops between parts.</param>
    public static EmailMessage Convert(MimeMessage message, bool fromMbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        var from = FirstParty(message.From) ?? FirstParty(message.Sender is null ? [] : [message.Sender]) ?? new MailParty(string.Empty, string.Empty);
        var date = DateOf(message);
        var subject = CleanSubject(message.Subject);
        var (body, attachments) = ReadParts(message, fromMbox, cancellationToken);
        var messageId = MessageIds.Normalize(message.MessageId) ?? MessageIds.Synthesize(from.Address, date, subject, body);
        var references = message.References
            .Select(MessageIds.Normalize)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

        return new EmailMessage(
            MessageId: messageId,
            InReplyTo: MessageIds.Normalize(message.InReplyTo),
            References: references,
            From: from,
            To: Parties(message.To),
            Cc: Parties(message.Cc),
            ReplyTo: Parties(message.ReplyTo),
            Date: date,
            Subject: subject,
            Body: body,
            OwnText: QuoteStripper.OwnText(body, cancellationToken),
            Attachments: attachments,
            AutomatedReason: AutomatedMailDetector.Reason(message.Headers, from.Address, subject, message.Body?.ContentType.MimeType))
        {
            List = AutomatedMailDetector.ListOf(message.Headers),
            ReadNotes = UnknownCharsetNotes(message),
            AuthenticationResults = message.Headers.Where(h => h.Id == HeaderId.AuthenticationResults).Select(h => h.Value).ToList(),
        };
    }

    /// <summary>
    /// One note per header whose encoded words or RFC 2231 parameters name a charset this process cannot decode.
    /// MimeKit then reads those bytes as Windows-1252 (<see cref="CreateParserOptions"/>) and the text goes through the
    /// mojibake repair; the note makes that fallback visible instead of silent.
    /// </summary>
    internal static IReadOnlyList<string> UnknownCharsetNotes(MimeMessage message)
    {
        List<string>? notes = null;

        // The message's headers and each part's (attachment names live on the parts); a bounded number of parts.
        foreach (var header in message.Headers.Concat(message.BodyParts.Take(1_000).SelectMany(p => p.Headers)))
        {
            if (header.RawValue is not { Length: > 0 } raw || raw.Length > 64 * 1024)
            {
                continue;
            }

            var text = System.Text.Encoding.Latin1.GetString(raw);
            foreach (var charset in DeclaredCharsets(text))
            {
                if (!TextEncodings.IsKnownCharset(charset))
                {
                    notes ??= [];
                    var note = $"{header.Field}: unknown charset '{Truncate(charset, 40)}', read as Windows-1252 and repaired";
                    if (!notes.Contains(note, StringComparer.Ordinal))
                    {
                        notes.Add(note);
                    }
                }
            }
        }

        foreach (var part in message.BodyParts.OfType<TextPart>())
        {
            var charset = part.ContentType.Charset;
            if (!part.IsAttachment && (part.IsPlain || part.IsHtml) && !string.IsNullOrWhiteSpace(charset) && !TextEncodings.IsKnownCharset(charset))
            {
                notes ??= [];
                notes.Add($"Body ({part.ContentType.MimeType}): unknown charset '{Truncate(charset.Trim(), 40)}', decoded by detection and repaired");
            }
        }

        return notes ?? (IReadOnlyList<string>)[];
    }

    private static IEnumerable<string> DeclaredCharsets(string headerValue)
    {
        foreach (Match match in EncodedWordCharset().Matches(headerValue))
        {
            yield return match.Groups["charset"].Value;
        }

        foreach (Match match in Rfc2231Charset().Matches(headerValue))
        {
            yield return match.Groups["charset"].Value;
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Caps text at <see cref="MaxBodyChars"/>, marking the cut.</summary>
    public static string Cap(string text, int maxChars, bool alreadyTruncated = false)
    {
        if (text.Length > maxChars)
        {
            // Do not split a surrogate pair at the cut.
            var cut = char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
            return text[..cut].TrimEnd() + "\n" + TruncatedMarker;
        }

        return alreadyTruncated ? text.TrimEnd() + "\n" + TruncatedMarker : text;
    }

    /// <summary>
    /// The date header; when missing, the newest Received: timestamp (when the message reached a server); else the
    /// Unix epoch. Never the file time, so reading the same file twice gives the same message.
    /// </summary>
    private static DateTimeOffset DateOf(MimeMessage message)
    {
        if (message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue)
        {
            return message.Date;
        }

        DateTimeOffset? newest = null;
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.Received))
        {
            var semicolon = header.Value.LastIndexOf(';');
            if (semicolon >= 0 && DateUtils.TryParse(header.Value[(semicolon + 1)..].Trim(), out var received)
                && (newest is null || received > newest))
            {
                newest = received;
            }
        }

        return newest ?? DateTimeOffset.UnixEpoch;
    }

    private static string CleanSubject(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return string.Empty;
        }

        var folded = string.Join(' ', subject.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        folded = Mojibake.Repair(folded);
        return folded.Length > MaxSubjectChars ? folded[..MaxSubjectChars] + "…" : folded;
    }

    private static MailParty? FirstParty(IEnumerable<InternetAddress> addresses) =>
        Flatten(addresses).Select(ToParty).FirstOrDefault();

    private static List<MailParty> Parties(InternetAddressList list) => Flatten(list).Select(ToParty).ToList();

    private static IEnumerable<MailboxAddress> Flatten(IEnumerable<InternetAddress> addresses)
    {
        foreach (var address in addresses)
        {
            switch (address)
            {
                case MailboxAddress mailbox:
                    yield return mailbox;
                    break;
                case GroupAddress group:
                    foreach (var member in Flatten(group.Members))
                    {
                        yield return member;
                    }

                    break;
            }
        }
    }

    internal static MailParty ToParty(MailboxAddress mailbox)
    {
        var name = Mojibake.Repair((mailbox.Name ?? string.Empty).Trim().Trim('"', '\'').Trim());
        if (name.Length > MaxNameChars)
        {
            name = name[..MaxNameChars];
        }

        return new MailParty(name, (mailbox.Address ?? string.Empty).Trim());
    }

    private static (string Body, List<AttachmentInfo> Attachments) ReadParts(MimeMessage message, bool fromMbox, CancellationToken cancellationToken)
    {
        TextPart? plain = null;
        TextPart? html = null;
        var attachments = new List<AttachmentInfo>();

        foreach (var entity in message.BodyParts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entity is TextPart text && !text.IsAttachment && (text.IsPlain || text.IsHtml))
            {
                if (text.IsPlain)
                {
                    plain ??= text;
                }
                else
                {
                    html ??= text;
                }

                continue;
            }

            attachments.Add(Describe(entity, cancellationToken));
        }

        var body = plain is not null ? ReadText(plain, isHtml: false, cancellationToken)
            : html is not null ? ReadText(html, isHtml: true, cancellationToken)
            : string.Empty;
        if (fromMbox)
        {
            body = MboxFromEscape().Replace(body, "$1");
        }

        return (body, attachments);
    }

    private static string ReadText(TextPart part, bool isHtml, CancellationToken cancellationToken)
    {
        if (part.Content is null)
        {
            return string.Empty;
        }

        byte[] bytes;
        bool truncated;
        try
        {
            using var decoded = part.Content.Open();
            (bytes, truncated) = ReadCapped(decoded, MaxBodyBytes);
        }
        catch (IOException)
        {
            // A cut-off file: keep nothing rather than fail the whole message.
            return string.Empty;
        }

        var text = Decode(bytes, part.ContentType.Charset);
        cancellationToken.ThrowIfCancellationRequested();
        if (isHtml)
        {
            text = HtmlText.ToText(text, cancellationToken);
        }
        else if (part.IsFlowed)
        {
            text = Unflow(text, part.ContentType);
        }

        text = Mojibake.Repair(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')).Trim();
        return Cap(text, MaxBodyChars, truncated);
    }

    /// <summary>
    /// The declared charset is honoured, except when the label is unknown/bogus, or claims ASCII/UTF-8 for bytes
    /// that are not: then the bytes are detected like an undeclared text file.
    /// </summary>
    private static string Decode(byte[] bytes, string? charset)
    {
        var declared = TextEncodings.FromCharsetName(charset);
        if (declared is null || (declared.CodePage is 65001 or 20127 && !TextEncodings.IsValidUtf8(bytes))
            || IsAsciiLabel(charset))
        {
            return TextEncodings.DecodeUnknown(bytes);
        }

        return declared.GetString(bytes);
    }

    /// <summary>Unwraps soft line breaks (with DelSp=yes, the space before each soft break is removed too).</summary>
    internal static string Unflow(string text, ContentType contentType)
    {
        var delSp = contentType.Parameters.TryGetValue("delsp", out string? value)
            && value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
        var converter = new FlowedToText { DeleteSpace = delSp };

        // The converter's output keeps a trailing line break; the caller trims.
        return converter.Convert(text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static bool IsAsciiLabel(string? charset) =>
        charset is not null && (charset.Trim().Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            || charset.Trim().Equals("ascii", StringComparison.OrdinalIgnoreCase));

    private static (byte[] Bytes, bool Truncated) ReadCapped(Stream stream, int maxBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024); // one per body part: a fresh 80 KB chunk each was an eighth of a message's garbage
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1L - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes)
                {
                    return (buffer.GetBuffer().AsSpan(0, maxBytes).ToArray(), true);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), false);
    }

    /// <summary>Name, type and decoded size of an attachment; the content streams through a counter, never into memory.</summary>
    private static AttachmentInfo Describe(MimeEntity entity, CancellationToken cancellationToken)
    {
        var counter = new CountingStream();
        string? name = entity.ContentDisposition?.FileName ?? entity.ContentType.Name;
        try
        {
            switch (entity)
            {
                case MessagePart { Message: { } inner }:
                    inner.WriteTo(counter, cancellationToken);
                    name ??= string.IsNullOrWhiteSpace(inner.Subject) ? "message.eml" : CleanSubject(inner.Subject) + ".eml";
                    break;
                case MimePart { Content: { } content }:
                    content.DecodeTo(counter, cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            // A cut-off attachment: report what could be decoded.
        }

        name = string.IsNullOrWhiteSpace(name) ? "unnamed" : Mojibake.Repair(name.Trim());
        return new AttachmentInfo(name, entity.ContentType.MimeType, counter.Count);
    }

    [GeneratedRegex(@"^>(>*From )", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MboxFromEscape();

    // RFC 2047 "=?charset*lang?B?", the charset without its RFC 2231 language suffix.
    [GeneratedRegex(@"=\?(?<charset>[^?*\s]{1,64})(?:\*[^?\s]{0,32})?\?[BbQq]\?", RegexOptions.CultureInvariant)]
    private static partial Regex EncodedWordCharset();

    // RFC 2231 "name*=charset'lang'value" and "name*0*=charset'lang'value".
    [GeneratedRegex(@"\*(?:0\*)?\s*=\s*""?(?<charset>[A-Za-z0-9_.:+-]{1,64})'[^']{0,32}'", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc2231Charset();
}
