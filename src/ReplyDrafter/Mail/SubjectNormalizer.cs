using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>Subject normalization for thread fallback and for "Re:" replies.</summary>
internal static partial class SubjectNormalizer
{
    /// <summary>
    /// Strips any run of Re:/RE:/Fwd:/FW:/AW:/WG:/SV:/VS:/Antw:/Réf:/TR: prefixes (also counted, "Re[2]:") and
    /// leading [list-tag]s, folds whitespace. Case is preserved; compare normalized subjects case-insensitively.
    /// </summary>
    public static string Normalize(string subject) => Strip(subject, out _);

    /// <summary>"Re: " + the subject without its reply/forward prefixes (so "Re:" appears exactly once).</summary>
    public static string ReplySubject(string subject)
    {
        var normalized = Normalize(subject);
        return normalized.Length == 0 ? "Re:" : "Re: " + normalized;
    }

    /// <summary>True when the subject starts (after any [tag]) with a reply or forward prefix.</summary>
    public static bool IsReplyOrForward(string subject)
    {
        Strip(subject, out var hadPrefix);
        return hadPrefix;
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

    [GeneratedRegex(@"^(?:\[[^\]]{0,100}\]\s*|(?<reply>(?:re|fwd?|fw|aw|wg|sv|vs|antw|antwort|réf|tr|rv|rif|odp|doorst)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
