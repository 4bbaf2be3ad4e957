using System.Globalization;
using System.Text;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Security;

/// <summary>
/// Makes untrusted text (header values, file names) safe to print on a terminal, in a log line or in markdown: every
/// C0 and C1 control (ANSI escapes, CR, LF that would forge a log line), DEL, bidi override or isolate and zero-width
/// character is written as a visible escape (<c>\n</c>, <c>\e</c>, <c>\u202E</c>), so what reaches the reader is what
/// the text holds, not what it does.
/// </summary>
internal static class ControlText
{
    /// <summary>The text with every control and invisible formatting character written as an escape; backslashes stay.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        if (!NeedsEscape(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append(@"\n"),
                '\r' => builder.Append(@"\r"),
                '\t' => builder.Append(@"\t"),
                '\u001B' => builder.Append(@"\e"),
                _ when IsDangerous(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>A file name for the console: escaped as <see cref="Escape"/>, in quotes when it has spaces or is empty.</summary>
    public static string FileNameForConsole(string? name)
    {
        var escaped = Escape(name);
        return escaped.Length == 0 || escaped.Any(char.IsWhiteSpace) || escaped.Contains('"', StringComparison.Ordinal)
            ? "\"" + escaped.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : escaped;
    }

    /// <summary>
    /// A file name inside a markdown line (e.g. in <c>NAME.error.md</c>): controls escaped visibly, then made inert
    /// by <see cref="MarkdownText.Inline"/>, so a code fence, a link, HTML or a heading in the name reads as text.
    /// </summary>
    public static string FileNameForMarkdown(string? name)
    {
        var inline = MarkdownText.Inline(Escape(name));
        return inline.Length == 0 ? "(no name)" : inline;
    }

    /// <summary>True when <see cref="Escape"/> would change the character.</summary>
    public static bool IsDangerous(char c) =>
        char.IsControl(c) // C0, DEL, C1
        || c is '\u061C' or (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u206F')
            or '\u2028' or '\u2029' or '\uFEFF' or (>= '\uFFF9' and <= '\uFFFB');

    private static bool NeedsEscape(string text)
    {
        foreach (var c in text)
        {
            if (IsDangerous(c))
            {
                return true;
            }
        }

        return false;
    }
}
