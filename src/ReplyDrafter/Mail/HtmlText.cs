using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ReplyDrafter.Mail;

/// <summary>Turns an HTML mail body into readable plain text: paragraphs, line breaks and list items kept.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "section", "article",
        "header", "footer", "address", "pre", "hr", "dl", "dt", "dd", "center", "form", "fieldset", "main", "nav",
    };

    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote",
    };

    /// <summary>HTML beyond this many characters is cut before parsing.</summary>
    public const int MaxHtmlChars = 1_000_000;

    /// <summary>
    /// Elements nested deeper than this are cut off before parsing: real mail stays far below (a long Outlook thread
    /// nests a few dozen levels), while a hostile body of nested tags costs the parser quadratic time.
    /// </summary>
    public const int MaxNestingDepth = 256;

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param", "keygen",
    };

    // Elements a following sibling of the same name closes implicitly, so "<p>a<p>b" is not counted as nesting.
    private static readonly HashSet<string> SelfClosingSiblings = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "li", "td", "th", "tr", "option", "dt", "dd",
    };

    /// <summary>The text of an HTML body; cut (with <see cref="MimeMessageConverter.TruncatedMarker"/>) when too large or too deep.</summary>
    public static string ToText(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var (bounded, truncated) = Bound(html);
        cancellationToken.ThrowIfCancellationRequested();

        var parser = new HtmlParser();
        using var document = parser.ParseDocument(bounded);
        var root = (INode?)document.Body ?? document.DocumentElement;
        var writer = new TextWriterState();
        Render(root, writer, preformatted: false, cancellationToken);
        var text = Tidy(writer.ToString());
        return truncated ? text.TrimEnd() + "\n" + MimeMessageConverter.TruncatedMarker : text;
    }

    /// <summary>
    /// Cuts the HTML at <see cref="MaxHtmlChars"/> and before the first tag that would open an element deeper than
    /// <see cref="MaxNestingDepth"/>. One linear pass over the tags, honouring comments and quoted attribute values.
    /// </summary>
    internal static (string Html, bool Truncated) Bound(string html)
    {
        var limit = Math.Min(html.Length, MaxHtmlChars);
        var truncated = html.Length > MaxHtmlChars;
        var open = new List<string>();
        var i = 0;
        while (i < limit)
        {
            var lt = html.IndexOf('<', i, limit - i);
            if (lt < 0 || lt + 1 >= limit)
            {
                break;
            }

            if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
            {
                var close = html.IndexOf("-->", lt + 4, limit - lt - 4, StringComparison.Ordinal);
                i = close < 0 ? limit : close + 3;
                continue;
            }

            var closing = html[lt + 1] == '/';
            var nameStart = closing ? lt + 2 : lt + 1;
            var nameEnd = nameStart;
            while (nameEnd < limit && (char.IsAsciiLetterOrDigit(html[nameEnd]) || html[nameEnd] is '-' or ':'))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                i = lt + 1;
                continue;
            }

            var tagEnd = TagEnd(html, nameEnd, limit);
            var name = html[nameStart..nameEnd];
            var selfClosed = tagEnd > 0 && html[tagEnd - 1] == '/';
            if (closing)
            {
                var at = open.FindLastIndex(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (at >= 0)
                {
                    open.RemoveRange(at, open.Count - at);
                }
            }
            else if (!selfClosed && !VoidElements.Contains(name))
            {
                if (open.Count > 0 && SelfClosingSiblings.Contains(name) && open[^1].Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    open.RemoveAt(open.Count - 1);
                }

                if (open.Count >= MaxNestingDepth)
                {
                    return (html[..lt], true);
                }

                open.Add(name);
            }

            i = tagEnd < 0 ? limit : tagEnd + 1;
        }

        return truncated ? (html[..limit], true) : (html, false);
    }

    /// <summary>The index of the '&gt;' ending a tag whose name ends at <paramref name="from"/>, skipping quoted values; -1 if none.</summary>
    private static int TagEnd(string html, int from, int limit)
    {
        char quote = '\0';
        for (var i = from; i < limit; i++)
        {
            var c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
        }

        return -1;
    }

    private static void Render(INode node, TextWriterState writer, bool preformatted, CancellationToken cancellationToken)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    writer.Text(text.Data, preformatted);
                    break;
                case IElement element:
                    cancellationToken.ThrowIfCancellationRequested();
                    RenderElement(element, writer, preformatted, cancellationToken);
                    break;
            }
        }
    }

    private static void RenderElement(IElement element, TextWriterState writer, bool preformatted, CancellationToken cancellationToken)
    {
        var name = element.LocalName;
        if (Skipped.Contains(name))
        {
            return;
        }

        switch (name)
        {
            case "br":
                writer.LineBreak();
                return;
            case "li":
                writer.EnsureLineStart();
                writer.Raw("- ");
                Render(element, writer, preformatted, cancellationToken);
                writer.EnsureLineStart();
                return;
            case "td" or "th":
                writer.Separator();
                Render(element, writer, preformatted, cancellationToken);
                return;
            case "img":
                var alt = element.GetAttribute("alt");
                if (!string.IsNullOrWhiteSpace(alt))
                {
                    writer.Text(alt, preformatted: false);
                }

                return;
            case "blockquote":
                // Quoted earlier messages stay recognisable as quotes ("> "), so the quote stripper can remove them.
                var inner = new TextWriterState();
                Render(element, inner, preformatted, cancellationToken);
                writer.Paragraph();
                foreach (var line in Tidy(inner.ToString()).Split('\n'))
                {
                    writer.Raw(line.Length == 0 ? ">" : "> " + line);
                    writer.LineBreak();
                }

                writer.Paragraph();
                return;
        }

        var isBlock = Blocks.Contains(name);
        var isParagraph = Paragraphs.Contains(name);
        if (isParagraph)
        {
            writer.Paragraph();
        }
        else if (isBlock)
        {
            writer.EnsureLineStart();
        }

        Render(element, writer, preformatted || name == "pre", cancellationToken);

        if (isParagraph)
        {
            writer.Paragraph();
        }
        else if (isBlock)
        {
            writer.EnsureLineStart();
        }
    }

    private static string Tidy(string text) =>
        TextLines.JoinFoldingBlanks(text.Replace("\u00A0", " ", StringComparison.Ordinal).Split('\n'));

    /// <summary>Accumulates text, folding HTML whitespace the way a browser does.</summary>
    private sealed class TextWriterState
    {
        private readonly StringBuilder _text = new();
        private bool _pendingSpace;

        public void Text(string data, bool preformatted)
        {
            if (preformatted)
            {
                _text.Append(data.Replace("\r\n", "\n", StringComparison.Ordinal));
                return;
            }

            foreach (var c in data)
            {
                if (char.IsWhiteSpace(c) && c != '\u00A0')
                {
                    _pendingSpace = true;
                    continue;
                }

                if (_pendingSpace && _text.Length > 0 && _text[^1] != '\n')
                {
                    _text.Append(' ');
                }

                _pendingSpace = false;
                _text.Append(c);
            }
        }

        public void Raw(string text)
        {
            _pendingSpace = false;
            _text.Append(text);
        }

        public void LineBreak()
        {
            _pendingSpace = false;
            _text.Append('\n');
        }

        public void EnsureLineStart()
        {
            _pendingSpace = false;
            if (_text.Length > 0 && _text[^1] != '\n')
            {
                _text.Append('\n');
            }
        }

        public void Paragraph()
        {
            EnsureLineStart();
            if (_text.Length > 0)
            {
                _text.Append('\n');
            }
        }

        public void Separator()
        {
            if (_text.Length > 0 && _text[^1] != '\n')
            {
                _pendingSpace = false;
                _text.Append(" | ");
            }
        }

        public override string ToString() => _text.ToString();
    }
}
