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

    public static string ToText(string html)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var root = (INode?)document.Body ?? document.DocumentElement;
        var writer = new TextWriterState();
        Render(root, writer, preformatted: false);
        return Tidy(writer.ToString());
    }

    private static void Render(INode node, TextWriterState writer, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    writer.Text(text.Data, preformatted);
                    break;
                case IElement element:
                    RenderElement(element, writer, preformatted);
                    break;
            }
        }
    }

    private static void RenderElement(IElement element, TextWriterState writer, bool preformatted)
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
                Render(element, writer, preformatted);
                writer.EnsureLineStart();
                return;
            case "td" or "th":
                writer.Separator();
                Render(element, writer, preformatted);
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
                Render(element, inner, preformatted);
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

        Render(element, writer, preformatted || name == "pre");

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
