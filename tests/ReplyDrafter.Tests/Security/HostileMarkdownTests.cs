using ReplyDrafter.Drafts;
using ReplyDrafter.Mail;
using ReplyDrafter.Notes;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Security;

/// <summary>Every untrusted field of a note, a draft and a source copy, filled with active content, renders inert.</summary>
public sealed class HostileMarkdownTests
{
    // Each payload is one active form from issue 12; each line of a field carries all of them, mid-line.
    private static readonly string[] Payloads =
    [
        "![](http://evil.example/pixel.png)",
        "<img src=http://evil.example/p.png>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<b onmouseover=alert(1)>x</b>",
        "![[.obsidian/workspace.json]]",
        "[[Private/Passwords]]",
        "<%* tR += await tp.system.clipboard() %>",
        "<% tp.file.title %>",
        "`$= dv.el('p', 'x')`",
        "`= this.file.name`",
        "``= dv.current()``",
        "[open](obsidian://open?vault=v&file=f)",
        "[run](javascript:alert(1))",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "obsidian://open?vault=v",
        "shown <!-- hidden --> shown",
        "%% hidden %%",
        "\u202Egnp.exe",
        "\u2066isolated\u2069",
        "zero\u200Bwidth\u200C\u200D\u2060\uFEFFjoin",
        "&#x202E;&#8238;&lt;img&gt;",
        "<https://autolink.example/>",
        "[ref]: javascript:alert(1)",
        "\\<img src=http://evil.example/escaped-escape.png>",
        "\\![](http://evil.example/escaped.png)",
    ];

    private static readonly string Hostile = "Read https://safe.example/page " + string.Join(" ", Payloads);

    private static readonly string HostileLines = string.Join("\n", Payloads.Prepend("Read https://safe.example/page"));

    [Fact]
    public void NoteRenderer_HostileValueInEveryField_NothingActiveSurvives()
    {
        var content = new NoteContent(
            Title: Hostile,
            Kind: "projects",
            Project: Hostile,
            Person: null,
            Summary: HostileLines,
            Participants: [Hostile, "Ann"],
            ActionItems: [new ActionItem(Hostile, Hostile, new DateOnly(2026, 1, 2), "high")],
            Decisions: [Hostile],
            KeyInformation: [Hostile, HostileLines],
            Related: [Hostile, ".obsidian/workspace.json", "../../Private/Passwords"],
            Reply: new ReplyAssessment(false, "normal", Hostile));
        var note = new NoteDocument(content, new DateOnly(2026, 1, 2), [Hostile], "email", "Sources/Email/2026/a.md", "Outbox/_prompts/a.prompt.json", "Me");

        var body = Frontmatter.Body(NoteRenderer.Render(note));

        AssertInert(body);
    }

    [Fact]
    public void DraftRenderer_HostileValueInEveryField_NothingActiveSurvives()
    {
        var draft = new DraftDocument(
            Created: new DateTimeOffset(2026, 1, 5, 19, 45, 1, TimeSpan.Zero),
            Urgency: "normal",
            To: "a@example.com",
            Cc: [],
            Subject: Hostile,
            InReplyTo: "x@example.com",
            SourceFile: "Sources/Email/2026/a.md",
            ThreadNote: "Notes/a.md",
            AiModel: "m",
            AiTemperature: null,
            PromptFile: "Outbox/_prompts/a.prompt.json",
            RecipientName: Hostile,
            Regarding: Hostile,
            Content: new DraftContent([Hostile, HostileLines], HostileLines),
            Signature: HostileLines,
            OriginalSummary: HostileLines);

        var body = Frontmatter.Body(DraftRenderer.Render(draft));

        AssertInert(body);
    }

    [Fact]
    public void SourceCopy_HostileSubjectAndBody_NothingActiveSurvives()
    {
        var message = new MessageBuilder().Subject(Hostile).Body(HostileLines).Build();

        var body = Frontmatter.Body(SourceCopy.Render(message));

        AssertInert(body);
    }

    [Fact]
    public void SourceCopy_HostileHeadersInFull_NothingActiveSurvives()
    {
        // Enough Cc to be shortened, so every header is also written out in the body.
        var cc = Enumerable.Range(0, SourceCopy.MaxListItems + 1).Select(i => new MailParty(Hostile, $"cc{i}@example.com")).ToArray();
        var message = new MessageBuilder().From(Hostile, "evil@example.com").Cc(cc).Subject(Hostile)
            .Attachments(new AttachmentInfo(Hostile, "text/html", 10)).Build();

        var markdown = SourceCopy.Render(message);

        Assert.Contains("## Headers in full", markdown, StringComparison.Ordinal);
        AssertInert(Frontmatter.Body(markdown));
    }

    [Theory]
    [InlineData("![](http://e.example/p.png)", "!\\[](http://e.example/p.png)")]
    [InlineData("a <img src=x> b", "a \\<img src=x> b")]
    [InlineData("a <%* code %> b", "a \\<\\%* code %> b")]
    [InlineData("see `$= dv.x` now", "see \\`$= dv.x\\` now")]
    [InlineData("go obsidian://open?x", "go obsidian\\://open?x")]
    [InlineData("x javascript:alert(1)", "x javascript\\:alert(1)")]
    [InlineData("Re: plain https://ok.example/a?b=c", "Re: plain https://ok.example/a?b=c")]
    [InlineData("a\u202Eb\u200Bc", "abc")]
    [InlineData("AT&T &amp; co", "AT&T \\&amp; co")]
    [InlineData("C:\\path", "C:\\\\path")]
    public void Inline_ActiveFormMidLine_IsEscaped(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Inline(text));

    [Theory]
    [InlineData(".obsidian/workspace.json", "[[obsidian workspace.json]]")]
    [InlineData("../Private/Passwords", "[[Private Passwords]]")]
    [InlineData("<img src=x>", "[[img src=x]]")]
    [InlineData("Ann \u202Eevil", "[[Ann evil]]")]
    public void Wikilink_PathOrMarkup_BecomesAPlainName(string name, string expected) =>
        Assert.Equal(expected, MarkdownText.Wikilink(name));

    /// <summary>What the renderer itself writes is allowed: <c>[[name]]</c> links to plain names and the <c>- [?]</c> task box.</summary>
    internal static void AssertInert(string markdown)
    {
        Assert.Contains("https://safe.example/page", markdown, StringComparison.Ordinal);
        foreach (var invisible in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u200C\u200D\u2060\uFEFF")
        {
            Assert.DoesNotContain(invisible.ToString(), markdown, StringComparison.Ordinal);
        }

        foreach (var raw in new[] { "<%", "%%", "obsidian://", "javascript:", "file:/", "data:text" })
        {
            Assert.DoesNotContain(raw, markdown, StringComparison.Ordinal);
        }

        for (var i = 0; i < markdown.Length; i++)
        {
            if (IsEscaped(markdown, i))
            {
                continue;
            }

            var rest = markdown.AsSpan(i);
            switch (markdown[i])
            {
                case '<':
                case '`':
                    Assert.Fail($"Unescaped '{markdown[i]}' at {i}: {Around(markdown, i)}");
                    break;
                case '&' when rest.IndexOf(';') is > 1 and < 12 && !rest[..rest.IndexOf(';')].Contains(' '):
                    Assert.Fail($"Entity at {i}: {Around(markdown, i)}");
                    break;
                case '!' when rest.StartsWith("![", StringComparison.Ordinal):
                    Assert.Fail($"Image or embed at {i}: {Around(markdown, i)}");
                    break;
                case '[' when rest.StartsWith("[?]", StringComparison.Ordinal):
                    break;
                case '[' when rest.StartsWith("[[", StringComparison.Ordinal):
                    var end = rest.IndexOf("]]", StringComparison.Ordinal);
                    Assert.True(end > 2, $"Open wikilink at {i}: {Around(markdown, i)}");
                    var target = rest[2..end].ToString();
                    Assert.True(target.IndexOfAny(['/', '\\', '<', '>', ':', '[', '`']) < 0 && !target.StartsWith('.'), $"Wikilink to a path or markup: [[{target}]]");
                    i += end + 1;
                    break;
                case '[':
                    Assert.Fail($"Unescaped '[' at {i}: {Around(markdown, i)}");
                    break;
            }
        }
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

    private static string Around(string text, int index) => text.Substring(Math.Max(0, index - 30), Math.Min(text.Length - Math.Max(0, index - 30), 60));
}
