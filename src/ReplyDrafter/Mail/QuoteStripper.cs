using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>Finds a message's own words: quoted earlier messages, the signature and notification footers removed.</summary>
/// <remarks>
/// Every pattern runs with <see cref="RegexOptions.NonBacktracking"/> (linear in the input) on lines no longer than
/// <see cref="MaxPatternLineChars"/>, so a hostile body cannot make matching cost more than a pass over it.
/// </remarks>
internal static partial class QuoteStripper
{
    /// <summary>Lines (or joined attribution candidates) longer than this are never headers, separators or attributions.</summary>
    public const int MaxPatternLineChars = 600;

    private const int AttributionMaxLines = 5;
    private const int HeaderBlockLookahead = 8;

    // Gmail's tracking glyph (CANADIAN SYLLABICS FINAL PLUS) that marks a tracked message; never the sender's text.
    private const char GmailTrackingGlyph = '\u1427';

    private const RegexOptions Linear = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>The body without quotes and signature, trimmed; the whole body when stripping would leave nothing.</summary>
    public static string OwnText(string body) => OwnText(body, CancellationToken.None);

    /// <inheritdoc cref="OwnText(string)"/>
    /// <param name="body">The message text.</param>
    /// <param name="cancellationToken">Checked line by line, so a time budget stops work on a huge body.</param>
    public static string OwnText(string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            .Replace(GmailTrackingGlyph.ToString(), string.Empty, StringComparison.Ordinal)
            .Split('\n');

        var end = FindHardCut(lines, cancellationToken);
        var kept = new List<string>(end);
        for (var i = 0; i < end; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribution = AttributionLength(lines, i, end);
            if (attribution > 0)
            {
                var after = i + attribution;
                if (!HasUnquotedText(lines, after, end) || !HasQuotedText(lines, after, end))
                {
                    // Top-posted reply (or an unprefixed quote): everything from here on is the earlier message.
                    break;
                }

                // Inline or bottom-posted reply: drop the attribution, keep the answers between the quotes.
                i = after - 1;
                continue;
            }

            if (IsQuoted(lines[i]))
            {
                continue;
            }

            kept.Add(lines[i]);
        }

        var own = Tidy(kept);
        return own.Length > 0 ? own : body.Trim();
    }

    /// <summary>The first line where the rest is no longer this message: separators, header blocks, signatures, footers.</summary>
    private static int FindHardCut(string[] lines, CancellationToken cancellationToken)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = lines[i];
            if (line.Length > MaxPatternLineChars)
            {
                continue;
            }

            var trimmed = line.Trim();
            if (line.TrimEnd() is "--" || line == "-- " || OriginalMessageSeparator().IsMatch(trimmed)
                || MobileSignature().IsMatch(trimmed) || NotificationFooter().IsMatch(trimmed)
                || trimmed.StartsWith("[{\"@context\"", StringComparison.Ordinal) || trimmed.StartsWith("{\"@context\"", StringComparison.Ordinal))
            {
                return i;
            }

            if (Underscores().IsMatch(trimmed) && IsOutlookHeaderBlock(lines, i + 1))
            {
                return i;
            }

            if (IsOutlookHeaderBlock(lines, i))
            {
                return i;
            }
        }

        return lines.Length;
    }

    /// <summary>"From: ..." followed within a few lines by a "Sent:"/"Date:" and a "Subject:" line, in any of the languages.</summary>
    private static bool IsOutlookHeaderBlock(string[] lines, int start)
    {
        // Skip blank lines between a separator and the header block.
        while (start < lines.Length && lines[start].Trim().Length == 0)
        {
            start++;
        }

        if (start >= lines.Length || lines[start].Length > MaxPatternLineChars || !HeaderFrom().IsMatch(lines[start]))
        {
            return false;
        }

        bool sent = false, subject = false;
        for (var i = start + 1; i < Math.Min(lines.Length, start + HeaderBlockLookahead); i++)
        {
            if (lines[i].Length > MaxPatternLineChars)
            {
                continue;
            }

            sent |= HeaderSent().IsMatch(lines[i]);
            subject |= HeaderSubject().IsMatch(lines[i]);
        }

        return sent && subject;
    }

    /// <summary>
    /// How many lines (1-5) form an attribution ("On ... wrote:", "Am ... schrieb ...:", "2016-03-03 17:21 GMT+01:00
    /// Some One &lt;…&gt;:", "… пишет:", "…写道：") starting at <paramref name="start"/>, or 0. An attribution spread over
    /// several lines (wrapped, or around a "&lt;mailto:…&gt;") must begin like one, so own text above it is never taken.
    /// </summary>
    private static int AttributionLength(string[] lines, int start, int end)
    {
        var first = lines[start].Trim();
        if (first.Length == 0 || first.Length > MaxPatternLineChars || IsQuoted(first))
        {
            return 0;
        }

        if (Attribution().IsMatch(first))
        {
            return 1;
        }

        if (!AttributionStart().IsMatch(first))
        {
            return 0;
        }

        var joined = new StringBuilder(first);
        for (var count = 2; count <= AttributionMaxLines && start + count <= end; count++)
        {
            var line = lines[start + count - 1].Trim();
            if (line.Length == 0 || IsQuoted(line))
            {
                return 0;
            }

            joined.Append(' ').Append(line);
            if (joined.Length > MaxPatternLineChars)
            {
                return 0;
            }

            if (Attribution().IsMatch(joined.ToString()))
            {
                return count;
            }
        }

        return 0;
    }

    private static bool IsQuoted(string line) => line.TrimStart().StartsWith('>');

    private static bool HasUnquotedText(string[] lines, int from, int end)
    {
        for (var i = from; i < end; i++)
        {
            if (lines[i].Trim().Length > 0 && !IsQuoted(lines[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasQuotedText(string[] lines, int from, int end)
    {
        for (var i = from; i < end; i++)
        {
            if (IsQuoted(lines[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Joins the kept lines; a dangling separator ("—", "--", "___") left above a cut footer goes too.</summary>
    private static string Tidy(List<string> lines)
    {
        while (lines.Count > 0 && (lines[^1].Trim().Length == 0 || DanglingSeparator().IsMatch(lines[^1].Trim())))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return TextLines.JoinFoldingBlanks(lines).Trim();
    }

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Original-Nachricht|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Message original|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Origineel bericht|Mensagem original|Mensagem Original|Исходное сообщение|Пересылаемое сообщение|Оригинальное сообщение|元のメッセージ|原始邮件|原始郵件|Forwarded message|Forwarded Message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht|Mensagem encaminhada|Ursprungligt meddelande|Oprindelig meddelelse|Opprinnelig melding)\s*-{2,}$", Linear)]
    private static partial Regex OriginalMessageSeparator();

    [GeneratedRegex(@"^(Sent from my [\w -]{1,40}|Sent from (Outlook|Mail|Yahoo Mail|Gmail|AOL|my mobile)\b.{0,60}|Sent with (BlackBerry|Spark|ProtonMail|Proton Mail)\b.{0,60}|Get Outlook for \w+.{0,40}|Sent from my mobile device|Sent via .{1,40} mobile|Von meinem [\w -]{1,40} gesendet|Gesendet von meinem [\w -]{1,40}|Gesendet mit der [\w. -]{1,40}|Envoyé de mon [\w -]{1,40}|Envoyé depuis mon [\w -]{1,40}|Obtenir Outlook pour \w+.{0,40}|Enviado desde mi [\w -]{1,40}|Enviado do meu [\w -]{1,40}|Enviado de meu [\w -]{1,40}|Inviato da(l mio)? [\w -]{1,40}|Verzonden (vanaf|met) mijn [\w -]{1,40}|Verstuurd vanaf mijn [\w -]{1,40}|Отправлено с (моего )?[\w -]{1,40}|[\w -]{1,40}から送信|发自我的[\w -]{1,40}|从我的[\w -]{1,40}发送|從我的[\w -]{1,40}傳送|Skickat från min [\w -]{1,40}|Sendt fra min [\w -]{1,40})$", Linear)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(@"^(Reply to this email directly(,| or)? (or )?view it on (GitHub|GitLab)\b.{0,200}|You are receiving this because .{0,200}|—?\s*You are receiving this email because .{0,200}|View it on GitLab:? .{0,200})$", Linear)]
    private static partial Regex NotificationFooter();

    [GeneratedRegex(@"^(_{10,}|-{10,})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Underscores();

    [GeneratedRegex(@"^(—|–|-{2,3}|_{2,})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DanglingSeparator();

    [GeneratedRegex(@"^\s*\*{0,2}(From|Von|De|Van|Från|Fra|Da|Od|От|Kimden|差出人|送信者|发件人|寄件者)\s*\*{0,2}\s*[:：]\s*\*{0,2}\s*\S", Linear)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\s*\*{0,2}(Sent|Date|Gesendet|Datum|Envoyé|Date d'envoi|Enviado|Enviado el|Enviada em|Enviado em|Inviato|Data|Verzonden|Verstuurd|Skickat|Sendt|Отправлено|Дата|送信日時|日付|发送时间|發送時間|时间|日期|寄件日期)\s*\*{0,2}\s*[:：]", Linear)]
    private static partial Regex HeaderSent();

    [GeneratedRegex(@"^\s*\*{0,2}(Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|Assunto|Тема|件名|主题|主旨|Ämne|Emne)\s*\*{0,2}\s*[:：]", Linear)]
    private static partial Regex HeaderSubject();

    // A line an attribution spread over several lines can begin with: a keyword, a date, or a sender.
    [GeneratedRegex(@"^(On|Am|Le|El|Il|Op|Em|At|Den|På|W dniu|\d|[^\s]{2,12},? \d)|@|<", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex AttributionStart();

    [GeneratedRegex(@"^(On\s.+\swrote|At\s.+\swrote|Am\s.+\sschrieb.*|Le\s.+\sa\s+écrit|El\s.+\sescribió|Il\s.+\sha\s+scritto|Op\s.+\sschreef.*|Em\s.+\sescreveu|Den\s.+\sskrev.*|På\s.+\sskrev.*|W dniu\s.+\spisze|.+\s(wrote|schrieb|escribió|escreveu|пишет|написал|написала)|.+のメッセージ|.+(写道|寫道)|(\d{1,4}[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,4}|[^\s]{2,12},? \d{1,2}).+(<[^\s<>@]+@[^\s<>@]+>|\S+@\S+|\]))\s*[:：]$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Attribution();
}
