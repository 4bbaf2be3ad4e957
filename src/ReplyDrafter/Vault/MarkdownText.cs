using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Vault;

/// <summary>
/// Puts untrusted text (model output, email bodies) into markdown so that it reads the same but cannot add
/// structure: no headings, tasks, frontmatter fences, thematic breaks, code fences or Obsidian comments that
/// the note's own layout did not put there, and nothing active anywhere in a line: no links, images, embeds,
/// wikilinks, raw HTML, entities, code spans (Dataview runs <c>`= …`</c> and <c>`$= …`</c>), Templater tags, non-web
/// URL schemes, bidi controls or zero-width characters. Bare <c>https://</c> URLs stay as text.
/// </summary>
internal static partial class MarkdownText
{
    /// <summary>Text for one line (a list item, a heading, a header field): whitespace folded, line start escaped.</summary>
    public static string Inline(string? text) => EscapeLineStart(Inert(TextFolding.SingleLine(text)));

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
        var lines = SplitLines(text).Select(line => EscapeLineStart(Inert(line.Replace('\t', ' ').Trim())));
        return JoinWithSingleBlankLines(lines);
    }

    /// <summary>
    /// Text meant to be read and copied as written (an email body, a draft reply): indentation, bullets and quotes are
    /// kept; only what would become a heading, a task, a rule, a fence or a comment is escaped.
    /// </summary>
    public static string Verbatim(string? text)
    {
        var lines = SplitLines(text).Select(line => EscapeStructuralLine(Inert(line.TrimEnd())));
        return JoinWithSingleBlankLines(lines);
    }

    /// <summary>
    /// A wikilink target: only what a note name can hold. Obsidian refuses <c>* " \ / &lt; &gt; : | ?</c> in names,
    /// so a target holding them can only be a path or a trick; they become spaces, as do backticks, <c>;</c> (which would end an HTML entity when the target is
    /// shown as text, as task owners are) and invisible characters. Brackets, pipes, headings (<c>#</c>) and
    /// block references (<c>^</c>) are dropped. Leading dots (hidden folders such
    /// as <c>.obsidian</c>) are dropped. Null when nothing is left.
    /// </summary>
    public static string? WikilinkTarget(string? name)
    {
        var builder = new StringBuilder();
        foreach (var c in StripInvisible(TextFolding.SingleLine(name)))
        {
            if (c is '[' or ']' or '|' or '#' or '^')
            {
                continue; // link syntax: dropped, as before
            }

            builder.Append(c is '*' or '"' or '\\' or '/' or '<' or '>' or ':' or '?' or '`' or ';' ? ' ' : c);
        }

        var target = NeutralizeComments(TextFolding.SingleLine(builder.ToString())).TrimStart('.', ' ');
        return target.Length == 0 ? null : target;
    }

    /// <summary><c>[[target]]</c>, or null when the name leaves no target.</summary>
    public static string? Wikilink(string? name) => WikilinkTarget(name) is { } target ? $"[[{target}]]" : null;

    private static string[] SplitLines(string? text)
    {
        var normalized = TextFolding.NormalizeNewlines(text ?? string.Empty)
            .Replace('\u2028', '\n').Replace('\u2029', '\n').Replace("\u0085", "\n", StringComparison.Ordinal);

        // Control characters (NUL, BEL, C1) have no business in a note and confuse editors; tabs and newlines stay.
        var clean = new string(normalized.Where(c => !(char.IsControl(c) && c is not ('\n' or '\t'))).ToArray());
        return clean.Split('\n');
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

    /// <summary>
    /// One line of untrusted text made inert wherever things occur in it, not only at its start. Markdown
    /// punctuation that could open something is backslash-escaped (the reader sees the character itself): <c>\</c>,
    /// <c>[</c> (links, images, embeds, wikilinks, footnotes), <c>&lt;</c> (HTML, comments, autolinks), <c>`</c> (code
    /// spans, which Dataview evaluates), <c>&amp;</c> before an entity name. Templater reads the raw file, where an
    /// escape does not count, so <c>&lt;%</c> is written <c>\&lt;\%</c>. The colon of a non-web scheme
    /// (<c>javascript:</c>, <c>obsidian://</c>) is escaped so nothing linkifies it.
    /// </summary>
    internal static string Inert(string line)
    {
        var text = NeutralizeComments(StripInvisible(line));
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\' or '[' or '`' or '<':
                    builder.Append('\\').Append(c);
                    if (c == '<' && i + 1 < text.Length && text[i + 1] == '%')
                    {
                        builder.Append("\\%");
                        i++;
                    }

                    break;
                case '&' when EntityName().IsMatch(text.AsSpan(i)):
                    builder.Append("\\&");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        var escaped = builder.ToString();
        return escaped.Contains(':', StringComparison.Ordinal) ? UriScheme().Replace(escaped, EscapeScheme) : escaped;
    }

    /// <summary>Removes what the reader cannot see but which changes what they read: bidi overrides and isolates,
    /// zero-width characters, BOMs, non-characters; lone surrogates become U+FFFD.</summary>
    internal static string StripInvisible(string text)
    {
        var clean = TextFolding.ForNormalization(text);
        return clean.AsSpan().IndexOfAny(Invisible) < 0 ? clean : string.Concat(clean.Where(c => !Invisible.Contains(c)));
    }

    private static readonly System.Buffers.SearchValues<char> Invisible = System.Buffers.SearchValues.Create(
        "\u061C\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206A\u206B\u206C\u206D\u206E\u206F\uFEFF\uFFF9\uFFFA\uFFFB");

    private static string EscapeScheme(Match match)
    {
        var scheme = match.Groups[1].Value;
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            ? match.Value
            : scheme + "\\:";
    }

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
            // '\\', '[', '<' and '`' are already escaped by Inert wherever they occur.
            '#' or '>' or '|' or '=' or '+' or '-' or '~' or '$' => true,
            '*' or '_' => line.Length == 1 || line[1] == ' ' || ThematicBreak().IsMatch(line),
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
            || content.StartsWith("~~~", StringComparison.Ordinal)
            || content.StartsWith("$$", StringComparison.Ordinal); // backtick fences and HTML blocks: escaped by Inert

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

    // A scheme at a word start: "obsidian://", "javascript:", "file:", "data:". "Re:" or "Note: " is not a scheme
    // followed by something a linkifier takes, but escaping its colon is harmless too, so only clear words are spared.
    [GeneratedRegex(@"(?<![A-Za-z0-9+.\-])([A-Za-z][A-Za-z0-9+.\-]{1,31}):(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    [GeneratedRegex(@"^&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});", RegexOptions.CultureInvariant)]
    private static partial Regex EntityName();

    [GeneratedRegex("%{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex DoublePercent();
}
