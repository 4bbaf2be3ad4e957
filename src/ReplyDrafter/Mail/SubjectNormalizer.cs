using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>Subject normalization for thread fallback and for "Re:" replies.</summary>
internal static partial class SubjectNormalizer
{
    /// <summary>
    /// Strips any run of Re:/RE:/Fwd:/FW:/AW:/WG:/SV:/VS:/Antw:/Réf.:/TR:/回复：/转发：/返信: prefixes (also counted, "Re[2]:") and
    /// leading [list-tag]s, folds whitespace. Case is preserved; compare normalized subjects case-insensitively.
    /// </summary>
    public static string Normalize(string subject) => Strip(subject, out _);

    /// <summary>"Re: " + the subject without its reply/forward prefixes (so "Re:" appears exactly once).</summary>
    public static string ReplySubject(string subject)
    {
        var normalized = Normalize(subject);
        return normalized.Length == 0 ? "Re:" : "Re: " + normalized;
    }

    /// <summary>
    /// "Re: " + <see cref="SubjectOrFallback"/>: a reply to a prefixes-only subject takes the thread's earlier subject
    /// or the first words of the text instead of a bare "Re:".
    /// </summary>
    /// <param name="subject">The subject of the message replied to.</param>
    /// <param name="earlierSubjects">The subjects of the thread's earlier messages, oldest first.</param>
    /// <param name="text">The own text of the message replied to.</param>
    public static string ReplySubject(string subject, IEnumerable<string?> earlierSubjects, string? text)
    {
        var fallback = SubjectOrFallback(subject, earlierSubjects, text);
        return fallback.Length == 0 ? "Re:" : "Re: " + fallback;
    }

    /// <summary>True when the subject starts (after any [tag]) with a reply or forward prefix.</summary>
    public static bool IsReplyOrForward(string subject)
    {
        Strip(subject, out var hadPrefix);
        return hadPrefix;
    }

    /// <summary>
    /// The normalized subject; when it is empty (no subject, or only prefixes such as "Re: RE: Fwd:", "AW: WG:", "SV:",
    /// "回复：", "Réf. :"), the newest non-empty normalized subject among <paramref name="earlierSubjects"/> (the
    /// thread's earlier messages, oldest first), else the first <paramref name="maxWords"/> words of
    /// <paramref name="text"/> (the message's own text) with "…" when cut; empty only when all of them are.
    /// </summary>
    /// <param name="subject">The message's subject.</param>
    /// <param name="earlierSubjects">The subjects of the thread's earlier messages, oldest first.</param>
    /// <param name="text">The message's own text (quotes stripped), or empty.</param>
    /// <param name="maxWords">How many words of the text make a subject.</param>
    public static string SubjectOrFallback(string? subject, IEnumerable<string?> earlierSubjects, string? text, int maxWords = 8)
    {
        ArgumentNullException.ThrowIfNull(earlierSubjects);
        var normalized = Strip(subject, out _);
        if (normalized.Length > 0)
        {
            return normalized;
        }

        var earlier = earlierSubjects.Select(s => Strip(s, out _)).LastOrDefault(s => s.Length > 0);
        if (earlier is not null)
        {
            return earlier;
        }

        return FirstWords(text, maxWords);
    }

    /// <summary>The first words of the first non-blank line of <paramref name="text"/>, at most 80 characters, "…" when cut.</summary>
    private static string FirstWords(string? text, int maxWords)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = text.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
        var words = Whitespace().Split(line);
        var taken = string.Join(' ', words.Take(Math.Max(1, maxWords)));
        var cut = words.Length > maxWords;
        if (taken.Length > 80)
        {
            taken = taken[..80].TrimEnd();
            cut = true;
        }

        taken = taken.TrimEnd(',', ';', ':', '-');
        return cut ? taken + "…" : taken;
    }

    /// <summary>A key for comparing normalized subjects: case and culture independent.</summary>
    public static string Key(string subject) => Normalize(subject).ToUpperInvariant();

    private static string Strip(string? subject, out bool hadPrefix)
    {
        hadPrefix = false;
        if (string.IsNullOrEmpty(subject))
        {
            return string.Empty;
        }

        var text = Whitespace().Replace(subject, " ").Trim();
        while (true)
        {
            var match = Prefix().Match(text);
            if (!match.Success || match.Length == 0)
            {
                break;
            }

            hadPrefix |= match.Groups["reply"].Success;
            text = text[match.Length..].TrimStart();
        }

        return text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(?:\[[^\]]{0,100}\]\s*|(?<reply>(?:re|fwd?|fw|aw|wg|sv|vs|antw|antwort|réf\.?|tr|rv|rif|odp|doorst|enc|res|ynt|Отв|Отв\.|Пересл|回复|回覆|答复|答覆|转发|轉寄|转寄|返信|転送)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
