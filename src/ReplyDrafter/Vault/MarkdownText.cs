using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Vault;

/// <summary>
/// Puts untrusted text (model output, email bodies) into markdown so that it reads the same but cannot add
/// structure: no headings, tasks, frontmatter fences, thematic breaks, code fences or Obsidian comments that
/// the note's own layout did not put there.
/// </summary>
internal static partial class MarkdownText
{
    /// <summary>Text for one line (a list item, a heading, a header field): whitespace folded, line start escaped.</summary>
    public static string Inline(string? text) => EscapeLineStart(NeutralizeComments(TextFolding.SingleLine(text)));

    /// <summary>Text for a heading: as <see cref="Inline"/>, and a trailing " #" is not taken as a closing sequence.</summary>
    public static string Heading(string? text)
    {
        var inline = Inline(text);
        var closing = ClosingHashes().Match(inline);
        return closing.Success ? inline[..(closing.Index + 1)] + "\\" + inline[(closing.Index + 1)..] : inline;
    }

    /// <summary>
    /// Paragraphs written by the model: lines trimmed, runs of blank lines folded to one, and every line start that
    /// markdown would read as structure escaped.
    /// </summary>
    public static string Paragraphs(string? text)
    {
        var lines = SplitLines(text).Select(line => EscapeLineStart(line.Replace('\t', ' ').Trim()));
        return JoinWithSingleBlankLines(lines);
    }

    /// <summary>
    /// Text meant to be read and copied as written (an email body, a draft reply): indentation, bullets and quotes are
    /// kept; only what would become a heading, a task, a rule, a fence or a comment is escaped.
    /// </summary>
    public static string Verbatim(string? text)
    {
        var lines = SplitLines(text).Select(line => EscapeStructuralLine(line.TrimEnd()));
        return JoinWithSingleBlankLines(lines);
    }

    /// <summary>A wikilink target: no brackets, pipes, headings or block references; null when nothing is left.</summary>
    public static string? WikilinkTarget(string? name)
    {
        var builder = new StringBuilder();
        foreach (var c in TextFolding.SingleLine(name))
        {
            if (c is not ('[' or ']' or '|' or '#' or '^'))
            {
                builder.Append(c);
            }
        }

        var target = NeutralizeComments(TextFolding.SingleLine(builder.ToString()));
        return target.Length == 0 ? null : target;
    }

    /// <summary><c>[[target]]</c>, or null when the name leaves no target.</summary>
    public static string? Wikilink(string? name) => WikilinkTarget(name) is { } target ? $"[[{target}]]" : null;

    private static string[] SplitLines(string? text)
    {
        var normalized = TextFolding.NormalizeNewlines(text ?? string.Empty)
            .Replace('\u2028', '\n').Replace('\u2029', '\n').Replace("\u0085", "\n", StringComparison.Ordinal);

        // Control characters (NUL, BEL, C1) have no business in a note and confuse editors; tabs and newlines stay.
        var clean = new string(normalized.Where(c => !(char.IsControl(c) && c is not ('\n' or '\t')) && c != '\uFEFF').ToArray());
        return NeutralizeComments(clean).Split('\n');
    }

    private static string JoinWithSingleBlankLines(IEnumerable<string> lines)
    {
        var builder = new StringBuilder();
        var pendingBlank = false;
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0)
            {
                pendingBlank = builder.Length > 0;
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(pendingBlank ? "\n\n" : "\n");
            }

            pendingBlank = false;
            builder.Append(line);
        }

        return builder.ToString();
    }

    // "%%" opens an Obsidian comment that hides everything up to the next "%%", whole sections included.
    private static string NeutralizeComments(string text) =>
        text.Contains("%%", StringComparison.Ordinal) ? DoublePercent().Replace(text, m => string.Join(' ', m.Value.ToCharArray())) : text;

    private static string EscapeLineStart(string line)
    {
        if (line.Length == 0)
        {
            return line;
        }

        var ordered = OrderedListMarker().Match(line);
        if (ordered.Success)
        {
            // "2025. A year" would start an ordered list: escape the delimiter, not the number.
            var at = ordered.Groups[1].Length;
            return line[..at] + "\\" + line[at..];
        }

        var first = line[0];
        var escape = first switch
        {
            '#' or '>' or '|' or '<' or '=' or '+' or '-' or '`' or '~' or '$' or '\\' => true,
            '*' or '_' => line.Length == 1 || line[1] == ' ' || ThematicBreak().IsMatch(line),
            '[' => !line.StartsWith("[[", StringComparison.Ordinal),
            _ => false,
        };

        return escape ? "\\" + line : line;
    }

    private static string EscapeStructuralLine(string line)
    {
        var indent = line.Length - line.TrimStart().Length;
        var content = line[indent..];
        if (content.Length == 0)
        {
            return content;
        }

        var structural = AtxHeading().IsMatch(content)
            || TaskItem().IsMatch(content)
            || ThematicBreak().IsMatch(content)
            || SetextUnderline().IsMatch(content)
            || content.StartsWith("```", StringComparison.Ordinal)
            || content.StartsWith("~~~", StringComparison.Ordinal)
            || content.StartsWith("$$", StringComparison.Ordinal)
            || content.StartsWith('<'); // an HTML block; an unclosed "<!--" would hide the rest of the note

        if (!structural)
        {
            return line;
        }

        // A task's checkbox is escaped, so "- [ ] pay" stays a plain bullet; everything else at its first character.
        var task = TaskItem().Match(content);
        return task.Success
            ? line[..(indent + task.Groups[1].Length)] + "\\" + content[task.Groups[1].Length..]
            : line[..indent] + "\\" + content;
    }

    [GeneratedRegex(@"^(\d{1,9})[.)](\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex OrderedListMarker();

    [GeneratedRegex(@"^#{1,6}(\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^((?:[-*+]|\d{1,9}[.)])\s+)\[.?\]", RegexOptions.CultureInvariant)]
    private static partial Regex TaskItem();

    [GeneratedRegex(@"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$", RegexOptions.CultureInvariant)]
    private static partial Regex ThematicBreak();

    [GeneratedRegex(@"^(?:-+|=+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"\s#+$", RegexOptions.CultureInvariant)]
    private static partial Regex ClosingHashes();

    [GeneratedRegex("%{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex DoublePercent();
}
