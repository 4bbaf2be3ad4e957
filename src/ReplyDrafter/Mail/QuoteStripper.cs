using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>Finds a message's own words: quoted earlier messages and the signature removed.</summary>
internal static partial class QuoteStripper
{
    private const int AttributionMaxLines = 4;
    private const int HeaderBlockLookahead = 6;

    /// <summary>The body without quotes and signature, trimmed; the whole body when stripping would leave nothing.</summary>
    public static string OwnText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');

        var end = FindHardCut(lines);
        var kept = new List<string>(end);
        for (var i = 0; i < end; i++)
        {
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

    /// <summary>The first line where the rest is no longer this message: separators, Outlook headers, signatures.</summary>
    private static int FindHardCut(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (line.TrimEnd() is "--" or "-- " || line == "-- " || OriginalMessageSeparator().IsMatch(trimmed)
                || MobileSignature().IsMatch(trimmed))
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

    /// <summary>"From: ..." followed within a few lines by a "Sent:"/"Date:" and a "Subject:" line.</summary>
    private static bool IsOutlookHeaderBlock(string[] lines, int start)
    {
        // Skip blank lines between a separator and the header block.
        while (start < lines.Length && lines[start].Trim().Length == 0)
        {
            start++;
        }

        if (start >= lines.Length || !HeaderFrom().IsMatch(lines[start]))
        {
            return false;
        }

        bool sent = false, subject = false;
        for (var i = start + 1; i < Math.Min(lines.Length, start + HeaderBlockLookahead); i++)
        {
            sent |= HeaderSent().IsMatch(lines[i]);
            subject |= HeaderSubject().IsMatch(lines[i]);
        }

        return sent && subject;
    }

    /// <summary>How many lines (1-4) form an "On ... wrote:" attribution starting at <paramref name="start"/>, or 0.</summary>
    private static int AttributionLength(string[] lines, int start, int end)
    {
        if (!AttributionStart().IsMatch(lines[start]))
        {
            return 0;
        }

        var joined = new StringBuilder();
        for (var count = 1; count <= AttributionMaxLines && start + count <= end; count++)
        {
            var line = lines[start + count - 1].Trim();
            if (line.Length == 0 && count > 1)
            {
                return 0;
            }

            joined.Append(count > 1 ? " " : string.Empty).Append(line);
            if (AttributionEnd().IsMatch(joined.ToString()))
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

    private static string Tidy(List<string> lines) => TextLines.JoinFoldingBlanks(lines).Trim();

    [GeneratedRegex(@"^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Originalnachricht|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Forwarded message|Weitergeleitete Nachricht|Message transféré)\s*-{2,}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OriginalMessageSeparator();

    [GeneratedRegex(@"^(Sent from my \w+|Sent from (Outlook|Mail|Yahoo Mail|Gmail)\b.*|Get Outlook for \w+.*|Sent from my mobile device|Von meinem \w+ gesendet|Envoyé de mon \w+|Enviado desde mi \w+|Inviato da \w+.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MobileSignature();

    [GeneratedRegex(@"^_{10,}$")]
    private static partial Regex Underscores();

    [GeneratedRegex(@"^\s*\*{0,2}(From|Von|De|Van|Från|Fra|Da)\s*:\*{0,2}\s*\S", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\s*\*{0,2}(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden|Skickat|Sendt)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderSent();

    [GeneratedRegex(@"^\s*\*{0,2}(Subject|Betreff|Objet|Asunto|Oggetto|Onderwerp|Ämne|Emne)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderSubject();

    [GeneratedRegex(@"^\s*(On|Am|Le|El|Il|Op|Den|På)\s", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionStart();

    [GeneratedRegex(@"^(On\s.+\swrote|Am\s.+\sschrieb.*|Le\s.+\sa\s+écrit|El\s.+\sescribió|Il\s.+\sha\s+scritto|Op\s.+\sschreef.*|Den\s.+\sskrev.*|På\s.+\sskrev.*)\s*:$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributionEnd();
}
