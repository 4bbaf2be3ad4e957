using ReplyDrafter.Drafts;
using ReplyDrafter.Mail;
using ReplyDrafter.Notes;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Security;

/// <summary>
/// Issue 17 item 7: frontmatter values from mail or the model (subjects, names, addresses, the model's title, project
/// and participants) carry nothing a plugin would run, render or embed, in Sources/, Notes/ and Outbox/ alike.
/// </summary>
public sealed class HostileFrontmatterTests
{
    public static TheoryData<string> Vectors => new()
    {
        "<%* await tp.system.clipboard() %>",
        "<% tp.file.title %>",
        "<%- tp.date.now() -%>",
        "<%%> and %%> left",
        "`$= dv.el('b', 'x')`",
        "`= this.file.name`",
        "``= dv.current()``",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "<!-- hidden -->",
        "![[.obsidian/workspace.json]]",
        "![](http://evil.example/pixel.png)",
        "\u202Egnp.exe",
        "\u2066iso\u2069 zero\u200Bwidth\u200D\uFEFF",
        "&#x202E;reversed",
        "\\`= escaped once`",
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void SourceCopy_HostileSubjectAndNames_FrontmatterInert(string vector)
    {
        var message = new MessageBuilder()
            .Subject("Re: " + vector)
            .From(vector, "jeff@example.com")
            .To(new MailParty(vector, "jason@example.com"))
            .Cc(new MailParty("Carol " + vector, "carol@example.com"))
            .Build();

        var markdown = SourceCopy.Render(message);

        AssertInert(markdown, vector, "subject", "from", "to", "cc");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void NoteRenderer_HostileTitleProjectParticipants_FrontmatterInert(string vector)
    {
        var content = new NoteContent(
            Title: "T " + vector,
            Kind: "projects",
            Project: "P " + vector,
            Person: null,
            Summary: "s",
            Participants: [vector],
            ActionItems: [],
            Decisions: [],
            KeyInformation: [],
            Related: [],
            Reply: new ReplyAssessment(false, "normal", "r"));
        var note = new NoteDocument(content, new DateOnly(2026, 1, 2), [vector, "Ann"], "email", "Sources/Email/2026/a.md", "Outbox/_prompts/a.prompt.json", "Me");

        var markdown = NoteRenderer.Render(note);

        AssertInert(markdown, vector, "title", "project", "participants", "tags");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void DraftRenderer_HostileSubjectAndRecipients_FrontmatterInert(string vector)
    {
        var draft = new DraftDocument(
            Created: new DateTimeOffset(2026, 1, 5, 19, 45, 1, TimeSpan.Zero),
            Urgency: "normal",
            To: new MimeKit.MailboxAddress(vector, "a@example.com").ToString(),
            Cc: [new MimeKit.MailboxAddress("Carol " + vector, "carol@example.com").ToString()],
            Subject: "Re: " + vector,
            InReplyTo: "x@example.com",
            SourceFile: "Sources/Email/2026/a.md",
            ThreadNote: "Notes/a.md",
            AiModel: "m",
            AiTemperature: null,
            PromptFile: "Outbox/_prompts/a.prompt.json",
            RecipientName: vector,
            Regarding: vector,
            Content: new DraftContent([], "Body"),
            Signature: "Me",
            OriginalSummary: "s");

        var markdown = DraftRenderer.Render(draft);

        AssertInert(markdown, vector, "subject", "to", "cc");
    }

    [Theory]
    [InlineData("<% x %>", "<\\% x %\\>")]
    [InlineData("`= a` and `$= b`", "\\`= a\\` and \\`$= b\\`")]
    [InlineData("a <img src=x> </b> <!-- c -->", "a \\<img src=x> \\</b> \\<!-- c -->")]
    [InlineData("![[x]] ![](y)", "!\\[[x]] !\\[](y)")]
    [InlineData("&#x202E; AT&T", "\\&#x202E; AT&T")]
    [InlineData("a\u202Eb\u200Bc", "abc")]
    [InlineData("Jeff Denworth <jeff@example.com>", "Jeff Denworth <jeff@example.com>")]
    [InlineData("<abc.123@mail.example>", "<abc.123@mail.example>")]
    [InlineData("Re: 50% off, 3 < 4 > 2 [[Note]]", "Re: 50% off, 3 < 4 > 2 [[Note]]")]
    public void Inert_EachVector_BrokenWithOneVisibleEscape(string value, string expected) =>
        Assert.Equal(expected, FrontmatterText.Inert(value));

    [Fact]
    public void Inert_AppliedTwice_SameAsOnce()
    {
        var once = FrontmatterText.Inert("<%* x %> `= y` <b> ![[z]] &amp; %%");

        Assert.Equal(once, FrontmatterText.Inert(once));
    }

    private static void AssertInert(string markdown, string vector, params string[] keys)
    {
        var block = markdown[..(markdown.IndexOf("\n---\n", 4, StringComparison.Ordinal) + 5)];
        foreach (var raw in new[] { "<%", "%>", "%%", "![" })
        {
            Assert.DoesNotContain(raw, block, StringComparison.Ordinal);
        }

        foreach (var invisible in "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200B\u200C\u200D\u2060\uFEFF")
        {
            Assert.DoesNotContain(invisible.ToString(), block, StringComparison.Ordinal);
        }

        var fields = Frontmatter.Read(markdown);
        var values = keys.SelectMany(fields.GetStrings).ToList();
        Assert.NotEmpty(values);
        foreach (var value in values)
        {
            for (var i = 0; i < value.Length; i++)
            {
                // No code span (Dataview evaluates them), HTML tag or entity that markdown would render.
                var active = !Escaped(value, i) && (value[i] == '`'
                    || (value[i] == '<' && System.Text.RegularExpressions.Regex.IsMatch(value[i..], @"^<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)|[!?])"))
                    || (value[i] == '&' && i + 1 < value.Length && value[i + 1] == '#'));
                Assert.False(active, $"Active '{value[i]}' at {i} in '{value}'");
            }
        }

        // Readable: with the escapes taken out, the subject or name still says what the sender wrote.
        var visible = MarkdownText.StripInvisible(vector.Replace("\\`", "`", StringComparison.Ordinal));
        Assert.Contains(values, value => value.Replace("\\", "", StringComparison.Ordinal).Contains(visible.Replace("\\", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    private static bool Escaped(string text, int index)
    {
        var backslashes = 0;
        for (var j = index - 1; j >= 0 && text[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }
}
