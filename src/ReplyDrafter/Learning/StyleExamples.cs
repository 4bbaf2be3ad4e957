using ReplyDrafter.Drafts;

namespace ReplyDrafter.Learning;

/// <summary>Chooses which of the user's earlier replies show the draft step how the user writes.</summary>
internal static class StyleExamples
{
    /// <summary>An example longer than this is cut at a word boundary: a voice shows in the first paragraphs.</summary>
    public const int MaxCharsEach = 800;

    /// <summary>Mail hosts whose users share nothing but the host, so the same host is no "same organisation".</summary>
    private static readonly HashSet<string> SharedHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
        "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net", "web.de",
        "fastmail.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "naver.com",
    };

    /// <summary>
    /// Up to <paramref name="count"/> examples: replies to the same recipient first, then to the same organisation,
    /// then the most recent; newest first within each; never one from <paramref name="threadId"/>, never the same text twice.
    /// </summary>
    public static IReadOnlyList<SentReply> Select(IEnumerable<SentReply> candidates, IReadOnlyCollection<string> recipients, string threadId, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var addresses = recipients.Select(Normalize).Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);
        var organisations = addresses.Select(Organisation).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return candidates
            .Where(c => !string.Equals(c.ThreadId, threadId, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(c.Text))
            .OrderBy(c => Tier(c, addresses, organisations))
            .ThenByDescending(c => c.SentAt)
            .ThenBy(c => c.MessageId, StringComparer.Ordinal)
            .Select(c => c with { Text = Cap(c.Text.Trim()) })
            .Where(c => seen.Add(c.Text))
            .Take(count)
            .ToList();
    }

    private static int Tier(SentReply reply, HashSet<string> addresses, HashSet<string> organisations)
    {
        var to = reply.Recipients.Select(Normalize).ToList();
        if (to.Any(addresses.Contains))
        {
            return 0;
        }

        return to.Select(Organisation).Any(o => o is not null && organisations.Contains(o)) ? 1 : 2;
    }

    private static string Normalize(string address) => address.Trim().ToLowerInvariant();

    /// <summary>The address's domain, or null for a shared mail host.</summary>
    private static string? Organisation(string address)
    {
        var at = address.LastIndexOf('@');
        if (at < 0 || at == address.Length - 1)
        {
            return null;
        }

        var domain = address[(at + 1)..];
        return SharedHosts.Contains(domain) ? null : domain;
    }

    internal static string Cap(string text)
    {
        if (text.Length <= MaxCharsEach)
        {
            return text;
        }

        var cut = text.LastIndexOfAny([' ', '\n'], MaxCharsEach);
        return string.Concat(text.AsSpan(0, cut > MaxCharsEach / 2 ? cut : MaxCharsEach).TrimEnd(), " …");
    }
}
