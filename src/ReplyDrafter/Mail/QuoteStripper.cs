using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Mail;

/// <summary>Finds a message's own words: quoted earlier messages, the signature and notification footers removed.</summary>
/// <remarks>
/// Every pattern runs on lines no longer than <see cref="MaxPatternLineChars"/>, either with
/// <see cref="RegexOptions.NonBacktracking"/> or (the table-built ones in <see cref="ReplyPatterns"/>) free of nested
/// quantifiers and under a match timeout, so a hostile body costs a bounded amount per line.
/// </remarks>
internal static partial class QuoteStripper
{
    /// <summary>Lines (or joined attribution candidates) longer than this are never headers, separators or attributions.</summary>
    public const int MaxPatternLineChars = 600;

    private const int AttributionMaxLines = 5;
    private const int HeaderBlockLookahead = 8;
    private const int WrappedFragmentMaxChars = 40;
    private const int WrappedLineMinChars = 50;

    // Gmail's tracking glyph (CANADIAN SYLLABICS FINAL PLUS) that marks a tracked message; never the sender's text.
    private const char GmailTrackingGlyph = '\u1427';

    private const RegexOptions Linear = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>The body without quotes and signature, trimmed; the whole body when stripping would leave nothing.</summary>
    public static string OwnText(string body) => OwnText(body, CancellationToken.None);

    /// <inheritdoc cref="OwnText(string)"/>
    /// <param name="body">The message text.</param>
    /// <param name="cancellationToken">Checked line by line, so a time budget stops work on a huge body.</param>
    public static string OwnText(string body, CancellationToken cancellationToken) => OwnText(body, cancellationToken, out _);

    /// <inheritdoc cref="OwnText(string, CancellationToken)"/>
    /// <param name="body">The message text.</param>
    /// <param name="cancellationToken">Checked line by line, so a time budget stops work on a huge body.</param>
    /// <param name="linesVisited">Lines looked at over all passes and look-aheads that can run to the end of the body
    /// (the few-line windows of header blocks and attributions are not counted): the work, which must stay linear in
    /// the number of lines whatever the body holds.</param>
    internal static string OwnText(string body, CancellationToken cancellationToken, out long linesVisited)
    {
        ArgumentNullException.ThrowIfNull(body);
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            .Replace(GmailTrackingGlyph.ToString(), string.Empty, StringComparison.Ordinal)
            .Split('\n');

        var end = FindHardCut(lines, cancellationToken);
        var ahead = new LookAhead(lines, end);
        var kept = new List<string>(end);
        long visited = Math.Min(end + 1, lines.Length);
        for (var i = 0; i < end; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            visited++;
            var attribution = AttributionLength(lines, i, end, out var strong);
            if (attribution > 0)
            {
                var after = i + attribution;
                var quoteFollows = ahead.NextQuoted(after) < end && ahead.NextQuoted(after) <= ahead.NextText(after);
                if (quoteFollows && ahead.NextText(after) < end)
                {
                    // Inline or bottom-posted reply: drop the attribution, keep the answers between the quotes.
                    i = after - 1;
                    continue;
                }

                if (quoteFollows || strong)
                {
                    // Top-posted reply (or an unprefixed original after a full attribution): the rest is the earlier message.
                    break;
                }
            }

            if (IsQuoted(lines[i]) || IsWrappedQuoteFragment(lines, i, end, ref visited))
            {
                continue;
            }

            kept.Add(lines[i]);
        }

        linesVisited = visited + ahead.LinesScanned;
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
            if (line.TrimEnd() is "--" || line == "-- " || ReplyPatterns.IsOriginalMessageSeparator(trimmed)
                || ReplyPatterns.IsMobileSignature(trimmed) || NotificationFooter().IsMatch(trimmed)
                || trimmed.StartsWith("[{\"@context\"", StringComparison.Ordinal) || trimmed.StartsWith("{\"@context\"", StringComparison.Ordinal))
            {
                return i;
            }

            if (IsListFooter(lines, i, trimmed))
            {
                return AboveSignOff(lines, i);
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

    /// <summary>Mailman's "___" rule or a "… mailing list" line, followed by the list's address or listinfo page.</summary>
    private static bool IsListFooter(string[] lines, int start, string trimmed)
    {
        var rule = ListRule().IsMatch(trimmed);
        if (!rule && !ListFooterLine().IsMatch(trimmed))
        {
            return false;
        }

        var seen = 0;
        for (var i = start + 1; i < lines.Length && seen < 3; i++)
        {
            var next = lines[i].Trim();
            if (next.Length == 0 || next.Length > MaxPatternLineChars)
            {
                continue;
            }

            seen++;
            if (ListFooterLine().IsMatch(next))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The cut moved above a short sign-off ("-Bob") that stands just above a list footer.</summary>
    private static int AboveSignOff(string[] lines, int cut)
    {
        var i = cut - 1;
        while (i >= 0 && lines[i].Trim().Length == 0)
        {
            i--;
        }

        return i >= 0 && lines[i].Length <= MaxPatternLineChars && SignOff().IsMatch(lines[i].Trim()) ? i : cut;
    }

    /// <summary>"From: ..." followed within a few lines by a "Sent:"/"Date:" and a "Subject:" line, in any of the languages.</summary>
    private static bool IsOutlookHeaderBlock(string[] lines, int start)
    {
        // Skip blank lines between a separator and the header block.
        while (start < lines.Length && lines[start].Trim().Length == 0)
        {
            start++;
        }

        if (start >= lines.Length || lines[start].Length > MaxPatternLineChars || !ReplyPatterns.Matches(ReplyPatterns.HeaderFrom, lines[start]))
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

            sent |= ReplyPatterns.Matches(ReplyPatterns.HeaderSent, lines[i]);
            subject |= ReplyPatterns.Matches(ReplyPatterns.HeaderSubject, lines[i]);
        }

        return sent && subject;
    }

    /// <summary>
    /// How many lines (1-5) form an attribution ("On ... wrote:", "Am ... schrieb ...:", "2016-03-03 17:21 GMT+01:00
    /// Some One &lt;…&gt;:", "… пишет:", "…写道：") starting at <paramref name="start"/>, or 0. An attribution spread over
    /// several lines (wrapped, or around a "&lt;mailto:…&gt;") must begin like one, so own text above it is never taken.
    /// </summary>
    /// <param name="strong">Whether it carries a date or an address and begins like an attribution: then it stands for
    /// an original that follows unquoted; a bare "Bob wrote:" only introduces "&gt;" lines.</param>
    private static int AttributionLength(string[] lines, int start, int end, out bool strong)
    {
        strong = false;
        var first = lines[start].Trim();
        if (first.Length == 0 || first.Length > MaxPatternLineChars || IsQuoted(first))
        {
            return 0;
        }

        if (ReplyPatterns.IsAttribution(first, out strong))
        {
            return 1;
        }

        if (!ReplyPatterns.CanStartAttribution(first))
        {
            return 0;
        }

        var joined = new StringBuilder(first);
        for (var count = 2; count <= AttributionMaxLines && start + count <= end; count++)
        {
            var line = lines[start + count - 1].Trim();
            if (ClosingBracketColon().IsMatch(line))
            {
                joined.Append(line);
            }
            else if (line.Length == 0 || IsQuoted(line))
            {
                return 0;
            }
            else
            {
                joined.Append(' ').Append(line);
            }

            if (joined.Length > MaxPatternLineChars)
            {
                return 0;
            }

            if (ReplyPatterns.IsAttribution(joined.ToString(), out strong))
            {
                return count;
            }
        }

        return 0;
    }

    /// <summary>
    /// A few words of a quoted line that the sender's client wrapped onto a line without "&gt;": short, under a long
    /// quoted line that does not end a sentence, and either between two quoted lines or (the quote's last line) the
    /// last words of the body, continuing the sentence in lower case. An answer between quotes follows a short question;
    /// one below the quote starts a sentence.
    /// </summary>
    private static bool IsWrappedQuoteFragment(string[] lines, int i, int end, ref long visited)
    {
        if (i == 0 || !IsQuoted(lines[i - 1]))
        {
            return false;
        }

        var fragment = lines[i].Trim();
        var above = lines[i - 1].TrimStart().TrimStart('>').Trim();
        if (fragment.Length is 0 or > WrappedFragmentMaxChars || above.Length < WrappedLineMinChars
            || above.EndsWith('.') || above.EndsWith('?') || above.EndsWith('!') || above.EndsWith(':'))
        {
            return false;
        }

        return (i + 1 < end && IsQuoted(lines[i + 1]))
            || (char.IsLower(fragment[0]) && IsLastText(lines, i, end, ref visited));
    }

    /// <summary>Whether only blank lines follow line <paramref name="i"/>; each blank run is looked at once, after its line.</summary>
    private static bool IsLastText(string[] lines, int i, int end, ref long visited)
    {
        for (var j = i + 1; j < end; j++)
        {
            visited++;
            if (lines[j].Trim().Length > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsQuoted(string line) => line.TrimStart().StartsWith('>');

    /// <summary>Joins the kept lines; a dangling separator ("—", "--", "___") left above a cut footer goes too.</summary>
    private static string Tidy(List<string> lines)
    {
        while (lines.Count > 0 && (lines[^1].Trim().Length == 0 || DanglingSeparator().IsMatch(lines[^1].Trim())))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return TextLines.JoinFoldingBlanks(lines).Trim();
    }

    [GeneratedRegex(@"^(Reply to this email directly(,| or)? (or )?view it on (GitHub|GitLab)\b.{0,200}|You are receiving this because .{0,200}|—?\s*You are receiving this email because .{0,200}|View it on GitLab:? .{0,200})$", Linear)]
    private static partial Regex NotificationFooter();

    [GeneratedRegex(@"^(_{10,}|-{10,})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Underscores();

    [GeneratedRegex(@"^(—|–|-{2,3}|_{2,})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DanglingSeparator();

    // Mailman's footer: "Foo mailing list", the list's address, its listinfo page.
    [GeneratedRegex(@"(^.{1,80}\smailing\s+list$|/listinfo\b|^https?://lists?\.\S+$|^[^\s@<>]+@lists?\.[^\s@<>]+$)", Linear)]
    private static partial Regex ListFooterLine();

    [GeneratedRegex(@"^_{5,}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ListRule();

    // A short sign-off such as "-Bob" or "— Anna K." standing just above a list footer.
    [GeneratedRegex(@"^[-–—~]\s?\p{L}[\p{L}.' ]{0,30}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SignOff();

    // The Norwegian Gmail attribution breaks its address before the closing bracket: "… <a@b" / ">:".
    [GeneratedRegex(@"^>\s*[:：]$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ClosingBracketColon();
}
