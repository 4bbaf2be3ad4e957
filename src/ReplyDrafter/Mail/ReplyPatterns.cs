using System.Globalization;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>
/// The recognisers built once from <see cref="ReplyLanguages.Table"/>: one matcher per kind of line, each taking the
/// phrases of every language. Patterns stay free of bounded repeats around the phrase lists; the distances (verb to
/// colon, name length) are checked in code.
/// </summary>
internal static class ReplyPatterns
{
    /// <summary>How far before the closing colon an attribution's verb may stand ("schrieb Alice Sender &lt;…&gt;:").</summary>
    private const int VerbToColonMaxChars = 160;

    /// <summary>Without an address, the name after the verb ("… schrieb Alice Sender:") is short.</summary>
    private const int NameAfterVerbMaxChars = 40;

    /// <summary>Longest signature line: a device or app name, never a sentence.</summary>
    private const int SignatureMaxChars = 80;

    // The backtracking engine, not NonBacktracking: the latter's automata for these phrase lists (IgnoreCase over many
    // scripts) cost hundreds of MB of working set. The patterns have no nested quantifiers and run on lines of at most
    // QuoteStripper.MaxPatternLineChars, so a match is bounded; the timeout is the backstop, and a timed-out line is
    // treated as no match. Compiled: the interpreter tries a phrase list's alternatives one by one at every position,
    // compiled code picks them by the next letter (about half the time per line on the bench's --trim bodies).
    private const RegexOptions Linear = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    // What a "*" in a signature stands for: a device or app name.
    private const string DeviceName = @"[\w .,'’&()/+-]+";

    private static readonly Regex Verb = new(Union(l => l.Wrote), Linear, MatchTimeout);
    private static readonly Regex VerbAtEnd = new(Union(l => l.Wrote) + @"\s*$", Linear, MatchTimeout);
    private static readonly Regex Lead = new("^" + Union(l => l.Leads, bounded: false) + @"\s", Linear, MatchTimeout);
    // French webmail writes the date after the phrase: "==== Message du : 01/12/2025 10:00 ====".
    private static readonly Regex Separator = new("^" + Union(l => l.Separators, bounded: false) + @"(?:\s*[:：].*)?$", Linear, MatchTimeout);
    // All languages in two patterns, asked of nearly every line: those that begin with the device name ("iPhoneから送信",
    // "iPhone-ról küldve") are matched from the end, where their fixed words are, so a line that does not end in them
    // fails at once instead of after the name's wildcard has been tried at every length.
    private static readonly Regex MobileByStart = Signatures(leadingName: false, RegexOptions.None);
    private static readonly Regex MobileByEnd = Signatures(leadingName: true, RegexOptions.RightToLeft);

    private static readonly Regex DateFirstWithAddress = new(
        @"^(?:\d{1,4}[-/.年:]\s?\d{1,2}|[^\s]{2,12},?\s\d{1,2}).*(?:<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+|\])\s*[:：]$", Linear, MatchTimeout);

    private static readonly Regex StartsLikeAttribution = new(@"^(?:\d|[^\s]{2,12},?\s\d)|@|<", Linear, MatchTimeout);
    private static readonly Regex Time = new(@"\b\d{1,2}[:.h]\d{2}\b|\d{1,2}時", Linear, MatchTimeout);
    private static readonly Regex DashRule = new(@"^[-=]{2,}.*[^-=\s].*[-=]{2,}$|^[-=]{2,}\s*[^-=\s]", Linear, MatchTimeout);

    public static Regex HeaderFrom { get; } = Header(l => l.FromLabels, @"\s*\*{0,2}\s*\S");

    public static Regex HeaderSent { get; } = Header(l => l.SentLabels, string.Empty);

    public static Regex HeaderSubject { get; } = Header(l => l.SubjectLabels, string.Empty);

    static ReplyPatterns()
    {
        // A compiled pattern's code is JIT-compiled on its first use, and on a busy machine that can take longer than the
        // match timeout: the first real line would then count as no match. Spend that first use here, on lines that
        // get past each pattern's first-letter check into its matching code.
        string[] lines = ["On 1 Dec 2025 10:00, Alice <alice@example.com> wrote:", "From: Alice", "Sent from my phone",
            "-- Original Message --", "iPhoneから送信"];
        foreach (var regex in (Regex[])[Verb, VerbAtEnd, Lead, Separator, MobileByStart, MobileByEnd, DateFirstWithAddress,
                     StartsLikeAttribution, Time, DashRule, HeaderFrom, HeaderSent, HeaderSubject])
        {
            foreach (var line in lines)
            {
                Matches(regex, line);
            }
        }
    }

    /// <summary>A line a wrapped attribution can begin with: a lead word, a date, or a sender.</summary>
    public static bool CanStartAttribution(string line) => Matches(Lead, line) || Matches(StartsLikeAttribution, line);

    /// <summary>
    /// Whether <paramref name="text"/> (a line, or wrapped lines joined) is an attribution: "… wrote:" with any language's
    /// verb followed by at most a name or date, a date-first line ending with the sender's address, or "On … wrote"
    /// without its colon when it is plainly one.
    /// </summary>
    /// <param name="text">The trimmed candidate.</param>
    /// <param name="strong">It carries the sender's address, or begins like an attribution and has a time: such a line
    /// stands for an original that follows even unquoted; a bare "Bob wrote:" only introduces "&gt;" lines.</param>
    public static bool IsAttribution(string text, out bool strong)
    {
        strong = false;
        var hasAddress = text.Contains('@', StringComparison.Ordinal);
        var startsLikeOne = CanStartAttribution(text);
        if (text.EndsWith(':') || text.EndsWith('：'))
        {
            var body = text[..^1].TrimEnd();
            var tail = body.Length > VerbToColonMaxChars ? body[^VerbToColonMaxChars..] : body;
            var afterVerb = CharsAfterLastVerb(tail);
            if (afterVerb < 0)
            {
                strong = Matches(DateFirstWithAddress, text);
                return strong;
            }

            strong = hasAddress || (startsLikeOne && afterVerb <= NameAfterVerbMaxChars && Matches(Time, text));
            return true;
        }

        strong = Matches(Lead, text) && Matches(VerbAtEnd, text) && (hasAddress || Matches(Time, text));
        return strong;
    }

    /// <summary>
    /// "-----Original Message-----", "---------- Forwarded message ---------", "==== Message du : … ====", Zoho's
    /// "---- On … wrote ----".
    /// </summary>
    public static bool IsOriginalMessageSeparator(string line)
    {
        if (!Matches(DashRule, line))
        {
            return false;
        }

        var inner = line.Trim('-', '=', ' ', '\t');
        return Matches(Separator, inner) || (IsAttribution(inner, out var strong) && strong);
    }

    /// <summary>A phone or app's default signature in any of the languages ("Sent from my iPhone", "iPhoneから送信").</summary>
    public static bool IsMobileSignature(string line) => line.Length <= SignatureMaxChars && (Matches(MobileByStart, line) || Matches(MobileByEnd, line));

    private static int CharsAfterLastVerb(string tail)
    {
        var end = -1;
        try
        {
            foreach (var match in Verb.EnumerateMatches(tail))
            {
                end = match.Index + match.Length;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return -1;
        }

        return end < 0 ? -1 : tail.Length - end;
    }

    /// <summary>A match; a line the engine gives up on within the timeout is no match (it is kept as own text).</summary>
    public static bool Matches(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Regex Signatures(bool leadingName, RegexOptions direction) =>
        new("^(?:" + string.Join('|', ReplyLanguages.Table.SelectMany(l => l.MobileSignatures
            .Where(s => s.StartsWith('*') == leadingName)
            .Select(s => Phrase(s, l.Spaced, bounded: false)))) + ")$", Linear | direction, MatchTimeout);

    private static Regex Header(Func<ReplyLanguage, IReadOnlyList<string>> labels, string after) =>
        new($@"^\s*\*{{0,2}}{Union(labels, bounded: false)}\s*\*{{0,2}}\s*[:：]{after}", Linear, MatchTimeout);

    private static string Union(Func<ReplyLanguage, IReadOnlyList<string>> select, bool bounded = true)
    {
        // Longest first, so "Enviado el" is tried as a whole before "Enviado".
        var phrases = ReplyLanguages.Table
            .SelectMany(l => select(l).Select(p => (Text: p, l.Spaced)))
            .DistinctBy(p => p.Text.ToUpperInvariant())
            .OrderByDescending(p => p.Text.Length)
            .Select(p => Phrase(p.Text, p.Spaced, bounded));
        return "(?:" + string.Join('|', phrases) + ")";
    }

    /// <summary>
    /// A table phrase as a pattern: literal, any whitespace between words, and (when <paramref name="bounded"/>) word
    /// boundaries in spaced scripts. Patterns that pin the phrase to the line's start and to a space, colon or the
    /// line's end leave the boundaries out: there they are redundant, and a leading one keeps the engine from
    /// choosing the alternative by its first letter, which made every line try every phrase in turn.
    /// </summary>
    private static string Phrase(string text, bool spaced, bool bounded)
    {
        var body = string.Join(DeviceName, text.Split('*')
            .Select(part => Regex.Escape(part).Replace(@"\ ", @"\s+", StringComparison.Ordinal)));
        var start = bounded && spaced && IsWordChar(text[0]) ? @"\b" : string.Empty;
        var end = bounded && spaced && IsWordChar(text[^1]) ? @"\b" : string.Empty;
        return start + body + end;
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.SpacingCombiningMark;
}
