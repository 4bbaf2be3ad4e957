using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace ReplyDrafter.Mail;

/// <summary>Reads a .md/.txt inbox item: a forwarded email saved as text, or else a meeting transcript.</summary>
internal static partial class TextItemReader
{
    /// <summary>Transcripts run long (an hour of talk is some 400 000 characters); beyond this they are cut.</summary>
    public const int MaxTranscriptChars = 1_000_000;

    /// <summary>NUL bytes, or many control characters in the first 8 kB: no text encoding produces those.</summary>
    internal static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, 8192)];
        if (sample is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            return false; // UTF-16 (or UTF-32 LE) with its byte order mark: NULs are expected.
        }

        if (sample.IndexOf((byte)0) >= 0)
        {
            return true;
        }

        var control = 0;
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C and not 0x1B)
            {
                control++;
            }
        }

        return control > sample.Length / 20;
    }

    // The header block of a forwarded mail must start near the top, or it is a quote inside a transcript.
    private const int HeaderSearchLines = 40;

    public static InboxItemContent Read(string path, byte[] bytes)
    {
        if (LooksBinary(bytes))
        {
            throw new UnreadableItemException($"This {Path.GetExtension(path)} file holds binary data, not text; ReplyDrafter reads text notes, transcripts and forwarded emails.");
        }

        var text = Mojibake.Repair(TextEncodings.DecodeUnknown(bytes))
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n');
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UnreadableItemException("The file is empty.");
        }

        if (TryReadForwardedEmail(path, text) is { } email)
        {
            return new InboxItemContent([email], null);
        }

        var transcript = new TranscriptDocument(TitleOf(path, text), DateIn(Path.GetFileName(path)) ?? DateIn(text),
            MimeMessageConverter.Cap(text.Trim(), MaxTranscriptChars));
        return new InboxItemContent([], transcript);
    }

    private static EmailMessage? TryReadForwardedEmail(string path, string text)
    {
        var lines = text.Split('\n');
        for (var start = 0; start < Math.Min(lines.Length, HeaderSearchLines); start++)
        {
            if (!HeaderLine().IsMatch(lines[start]))
            {
                continue;
            }

            var (headers, end) = ReadHeaderBlock(lines, start);
            if (headers.ContainsKey("from") && (headers.ContainsKey("subject") || headers.ContainsKey("date") || headers.ContainsKey("to")))
            {
                return ToEmail(path, headers, Preamble(lines, start), string.Join('\n', lines[end..]).Trim());
            }
        }

        return null;
    }

    private static (Dictionary<string, string> Headers, int End) ReadHeaderBlock(string[] lines, int start)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        var i = start;
        for (; i < lines.Length; i++)
        {
            var match = HeaderLine().Match(lines[i]);
            if (match.Success)
            {
                last = Canonical(match.Groups["name"].Value);
                headers.TryAdd(last, match.Groups["value"].Value.Trim().Trim('*').Trim());
            }
            else if (last is not null && lines[i].Length > 0 && char.IsWhiteSpace(lines[i][0]) && lines[i].Trim().Length > 0)
            {
                headers[last] = headers[last] + " " + lines[i].Trim();
            }
            else
            {
                break;
            }
        }

        return (headers, i);
    }

    /// <summary>The forwarder's own note above the forwarded headers, without separator lines.</summary>
    private static string Preamble(string[] lines, int start) =>
        string.Join('\n', lines[..start].Where(l => !Separator().IsMatch(l.Trim()))).Trim();

    private static EmailMessage ToEmail(string path, Dictionary<string, string> headers, string preamble, string rest)
    {
        var from = Parties(headers.GetValueOrDefault("from")).FirstOrDefault() ?? new MailParty(string.Empty, string.Empty);
        var subject = headers.GetValueOrDefault("subject") ?? string.Empty;
        var date = ParseDate(headers.GetValueOrDefault("date"))
            ?? (DateIn(Path.GetFileName(path)) is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.UnixEpoch);
        var body = MimeMessageConverter.Cap(preamble.Length > 0 ? preamble + "\n\n" + rest : rest, MimeMessageConverter.MaxBodyChars);
        var messageId = MessageIds.Normalize(headers.GetValueOrDefault("message-id"))
            ?? MessageIds.Synthesize(from.Address, date, subject, body);
        var references = (headers.GetValueOrDefault("references") ?? string.Empty)
            .Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(MessageIds.Normalize)
            .OfType<string>()
            .ToList();

        return new EmailMessage(
            MessageId: messageId,
            InReplyTo: MessageIds.Normalize(headers.GetValueOrDefault("in-reply-to")),
            References: references,
            From: from,
            To: Parties(headers.GetValueOrDefault("to")),
            Cc: Parties(headers.GetValueOrDefault("cc")),
            ReplyTo: Parties(headers.GetValueOrDefault("reply-to")),
            Date: date,
            Subject: subject,
            Body: body,
            OwnText: QuoteStripper.OwnText(body),
            Attachments: [],
            AutomatedReason: AutomatedMailDetector.ReasonFromSender(from.Address, subject));
    }

    /// <summary>Addresses as mail clients print them: "Name &lt;a@b&gt;", "Name [mailto:a@b]", "a@b", or a bare name.</summary>
    private static List<MailParty> Parties(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var cleaned = MailtoBracket().Replace(value, "<$1>");
        if (InternetAddressList.TryParse(cleaned, out var list) && list.Mailboxes.Any())
        {
            return list.Mailboxes.Select(MimeMessageConverter.ToParty).ToList();
        }

        var parties = new List<MailParty>();
        foreach (var item in cleaned.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var email = EmailAddress().Match(item);
            var name = email.Success ? item.Replace(email.Value, string.Empty, StringComparison.Ordinal).Trim(' ', '<', '>', '"', '(', ')') : item.Trim('"');
            parties.Add(new MailParty(name, email.Success ? email.Value : string.Empty));
        }

        return parties;
    }

    private static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateUtils.TryParse(value, out var rfc))
        {
            return rfc;
        }

        // Gmail: "Mon, Dec 1, 2025 at 10:00 AM"; Outlook: "Monday, December 1, 2025 10:00 AM".
        var cleaned = WeekdayPrefix().Replace(AtWord().Replace(value, " "), string.Empty).Trim();
        foreach (var culture in (CultureInfo[])[CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("en-US"), CultureInfo.GetCultureInfo("en-GB")])
        {
            if (DateTimeOffset.TryParse(cleaned, culture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }

    private static string TitleOf(string path, string text)
    {
        var heading = MarkdownHeading().Match(text);
        if (heading.Success)
        {
            var title = heading.Groups["title"].Value.Trim();
            if (title.Length > 0)
            {
                return title;
            }
        }

        return Path.GetFileNameWithoutExtension(path);
    }

    private static DateOnly? DateIn(string text)
    {
        foreach (Match match in IsoDate().Matches(text))
        {
            if (DateOnly.TryParseExact(match.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
        }

        return null;
    }

    private static string Canonical(string name) => name.ToUpperInvariant() switch
    {
        "FROM" or "VON" or "DE" => "from",
        "TO" or "AN" or "À" or "A" or "PARA" => "to",
        "CC" => "cc",
        "SUBJECT" or "BETREFF" or "OBJET" or "ASUNTO" => "subject",
        "DATE" or "SENT" or "DATUM" or "GESENDET" or "ENVOYÉ" or "ENVIADO" or "FECHA" => "date",
        "REPLY-TO" => "reply-to",
        "MESSAGE-ID" => "message-id",
        "IN-REPLY-TO" => "in-reply-to",
        "REFERENCES" => "references",
        _ => name.ToUpperInvariant(),
    };

    [GeneratedRegex(@"^\s*(?:\*\*)?(?<name>From|To|Cc|Bcc|Subject|Date|Sent|Reply-To|Message-ID|In-Reply-To|References|Von|An|Betreff|Datum|Gesendet|De|À|Objet|Envoyé|Para|Asunto|Enviado|Fecha)(?:\*\*)?\s*:(?:\*\*)?[ \t]*(?<value>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^(-{3,}.*-{3,}|_{5,}|-{3,}|Begin forwarded message:|Forwarded message:?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\[mailto:([^\]\s]+)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailtoBracket();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"\s+at\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtWord();

    [GeneratedRegex(@"^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeekdayPrefix();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownHeading();

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDate();
}
