using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Vault;

/// <summary>
/// Makes a frontmatter value that came from mail or the model inert while it stays readable. Obsidian plugins act on
/// property values: Templater runs <c>&lt;% … %&gt;</c> anywhere in the raw file (its "trigger on new file creation"),
/// and Dataview renders values as markdown, so code spans starting <c>=</c> or <c>$=</c> are evaluated, HTML tags and
/// entities are rendered and <c>![[…]]</c> / <c>![](…)</c> embed. Each is broken by one backslash where markdown
/// shows the character itself (<c>\&lt;img&gt;</c>, <c>\`= x\`</c>, <c>!\[[x]]</c>, <c>\&amp;#x202E;</c>); Templater
/// reads the raw text, so its tags become <c>&lt;\%</c> and <c>%\&gt;</c>. Bidi and zero-width controls are removed,
/// as in bodies. Addresses and ids in angle brackets (<c>&lt;a@b.example&gt;</c>) are not HTML tags and stay as written.
/// </summary>
internal static partial class FrontmatterText
{
    /// <summary>The value with every active form neutralised; unchanged when there is none.</summary>
    public static string Inert(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = MarkdownText.StripInvisible(value);
        if (text.AsSpan().IndexOfAny(Active) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var rest = text.AsSpan(i);
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            // One character at a time, so "<%%>" or "%%>" leaves neither "<%", "%%" nor "%>" behind.
            var breakAfter = (c, next) switch
            {
                ('<', '%') or ('%', '>') or ('%', '%') or ('!', '[') => true,
                _ => false,
            };
            var escapeBefore = !IsEscaped(text, i) && c switch
            {
                '`' => true,
                '<' => HtmlTagStart().IsMatch(rest),
                '&' => EntityStart().IsMatch(rest),
                _ => false,
            };
            if (escapeBefore)
            {
                builder.Append('\\');
            }

            builder.Append(c);
            if (breakAfter)
            {
                builder.Append('\\');
            }
        }

        return builder.ToString();
    }

    private static bool IsEscaped(string text, int index)
    {
        var backslashes = 0;
        for (var j = index - 1; j >= 0 && text[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static readonly System.Buffers.SearchValues<char> Active = System.Buffers.SearchValues.Create("<%`&!");

    // CommonMark raw HTML: an open or closing tag name, a comment, a declaration or a processing instruction.
    // "<jeff@example.com>" and "<id@host>" are not: the name stops at a character a tag name cannot have.
    [GeneratedRegex(@"^<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|[!?])", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTagStart();

    [GeneratedRegex(@"^&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});", RegexOptions.CultureInvariant)]
    private static partial Regex EntityStart();
}
