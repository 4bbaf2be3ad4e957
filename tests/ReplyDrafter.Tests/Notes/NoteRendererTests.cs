using ReplyDrafter.Notes;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Notes;

public sealed class NoteRendererTests
{
    public static TheoryData<string> Nasty => NastyStrings.AsTheoryData();

    [Fact]
    public void Render_ProjectThread_MatchesExpectedMarkdown()
    {
        var content = Content() with
        {
            ActionItems =
            [
                new("Send Jeff the latest analysis", "Jason Vallery", new DateOnly(2025, 12, 23), "high"),
                new("Introduce Majid", "Lior Genzel", null, "medium"),
                new("Decide POC site", "", new DateOnly(2026, 1, 5), "none"),
                new("Pay 📅 2025-01-01 ⏫ invoice", "me", null, "highest"),
                new("Archive thread", "@Rick #Scurfield", null, "low"),
            ],
        };

        var markdown = NoteRenderer.Render(Document(content));

        Assert.Equal(
            """
            ---
            type: projects
            title: 'MAI supply chain: next steps'
            date: '2025-12-21'
            project: Cloud
            participants:
            - Jeff Denworth
            - Jason Vallery
            - Lior Genzel
            source: email
            source_ref: Sources/Email/2025/2025-12-21_075242_5666_Re-MAI-VAST.md
            tags:
            - type/projects
            - project/cloud
            - generated
            prompt_file: Outbox/_prompts/2025-12-21_MAI.prompt.json
            ---

            # MAI supply chain: next steps

            **Date**: 2025-12-21
            **Attendees**: Jeff Denworth, Jason Vallery, Lior Genzel
            **Project**: [[Cloud]]

            ## Summary

            Jeff escalated supply risk.

            Plan needed now.

            ## Action Items

            - [?] Send Jeff the latest analysis @Myself 📅 2025-12-23 ⏫ #task #proposed #auto
            - [?] Introduce Majid @Lior Genzel 🔼 #task #proposed #auto
            - [?] Decide POC site 📅 2026-01-05 #task #proposed #auto
            - [?] Pay 2025-01-01 invoice @Myself 🔺 #task #proposed #auto
            - [?] Archive thread @Rick Scurfield 🔽 #task #proposed #auto

            ## Decisions

            - Lior leads introductions.

            ## Key Information

            _None._

            ## Related

            - [[Jeff Denworth]]
            - [[Lior Genzel]]
            - [[Microsoft]]

            ---

            *Source: [[2025-12-21_075242_5666_Re-MAI-VAST]]*

            """.ReplaceLineEndings("\n"),
            markdown);
    }

    [Fact]
    public void Render_OneOnOneTranscript_UsesPersonAndWith()
    {
        var content = Content() with
        {
            Kind = "people",
            Title = "Prep for Microsoft AI talks",
            Project = "Cloud",
            Person = "Jonsi Stefansson",
            Summary = "",
            ActionItems = [],
            Decisions = [],
            Related = [],
        };
        var document = Document(content) with
        {
            Date = new DateOnly(2025, 12, 16),
            Participants = ["Jonsi Stefansson", "Jason Vallery"],
            Source = "transcript",
            SourceRef = "Inbox/_archive/2026-01-04/2025-12-16 09 08 - Jonsi Jason 1-1.md",
        };

        var markdown = NoteRenderer.Render(document);

        Assert.Equal(
            """
            ---
            type: people
            title: Prep for Microsoft AI talks
            date: '2025-12-16'
            person: Jonsi Stefansson
            participants:
            - Jonsi Stefansson
            - Jason Vallery
            source: transcript
            source_ref: Inbox/_archive/2026-01-04/2025-12-16 09 08 - Jonsi Jason 1-1.md
            tags:
            - type/people
            - person/jonsi-stefansson
            - generated
            prompt_file: Outbox/_prompts/2025-12-21_MAI.prompt.json
            ---

            # Prep for Microsoft AI talks

            **Date**: 2025-12-16
            **With**: Jonsi Stefansson, Jason Vallery

            ## Summary

            _None._

            ## Action Items

            _None._

            ## Decisions

            _None._

            ## Key Information

            _None._

            ## Related

            _None._

            ---

            *Source: [[2025-12-16 09 08 - Jonsi Jason 1-1]]*

            """.ReplaceLineEndings("\n"),
            markdown);
    }

    [Fact]
    public void Render_EmptyProject_NoProjectFieldTagOrEmptyLink()
    {
        var markdown = NoteRenderer.Render(Document(Content() with { Project = "  " }));

        Assert.DoesNotContain("project", Frontmatter.Read(markdown).Keys);
        Assert.DoesNotContain("[[]]", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**Project**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("project/", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Render_HostileModelText_FrontmatterReadsBackAndStructureHolds(string hostile)
    {
        var content = Content() with
        {
            Title = "T " + hostile,
            Project = "P " + hostile,
            Summary = hostile,
            ActionItems = [new(hostile.Length == 0 ? "x" : hostile, hostile, null, "high")],
            Decisions = [hostile],
            KeyInformation = ["- [ ] " + hostile, "---", "## Injected"],
            Related = [hostile, "]] | # " + hostile],
        };
        var document = Document(content) with { Participants = [hostile, "Jeff \"The Boss\" O'Brien"] };

        var markdown = NoteRenderer.Render(document);
        var read = Frontmatter.Read(markdown);

        Assert.Equal(FrontmatterText.Inert(TextFolding.SingleLine("T " + hostile)), read.GetString("title"));
        Assert.Equal(FrontmatterText.Inert(TextFolding.SingleLine("P " + hostile)), read.GetString("project"));
        Assert.Equal(document.Participants.Select(TextFolding.SingleLine).Where(name => name.Length > 0).Select(FrontmatterText.Inert), read.GetStrings("participants"));
        Assert.Equal("2025-12-21", read.GetString("date"));

        var lines = Frontmatter.Body(markdown).Split('\n');
        Assert.Equal(["# ", "## Summary", "## Action Items", "## Decisions", "## Key Information", "## Related"],
            lines.Where(line => line.StartsWith('#')).Select(line => line.StartsWith("# ", StringComparison.Ordinal) ? "# " : line));
        Assert.Single(lines, line => line.StartsWith("- [", StringComparison.Ordinal) && !line.StartsWith("- [[", StringComparison.Ordinal));
        Assert.Single(lines, line => line == "---");
        Assert.DoesNotContain("[[]]", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("%%", Frontmatter.Body(markdown), StringComparison.Ordinal);
        Assert.DoesNotContain(markdown, c => c == '\r' || (char.IsControl(c) && c != '\n'));
        Assert.All(lines.Where(line => line.StartsWith("- [[", StringComparison.Ordinal)), line => Assert.Matches(@"^- \[\[[^\[\]|#^]+\]\]$", line));
    }

    [Theory]
    [InlineData("/Users/me/Vault/Sources/Email/a.md")]
    [InlineData("C:\\Vault\\Sources\\a.md")]
    [InlineData("../outside.md")]
    public void Render_AbsoluteOrEscapingSourceRef_Throws(string sourceRef) =>
        Assert.Throws<ArgumentException>(() => NoteRenderer.Render(Document(Content()) with { SourceRef = sourceRef }));

    [Theory]
    [InlineData("")]
    [InlineData("Email")]
    [InlineData("meeting")]
    public void Render_UnknownSource_Throws(string source) =>
        Assert.Throws<ArgumentException>(() => NoteRenderer.Render(Document(Content()) with { Source = source }));

    [Fact]
    public void Render_BackslashSourceRef_WrittenWithForwardSlashes() =>
        Assert.Equal("Sources/Email/2025/a.md", Frontmatter.Read(NoteRenderer.Render(Document(Content()) with { SourceRef = "Sources\\Email\\2025\\a.md" })).GetString("source_ref"));

    [Theory]
    [InlineData("Jason Vallery", "@Myself")]
    [InlineData("jason  vallery", "@Myself")]
    [InlineData("Jásón Vallery", "@Myself")]
    [InlineData("ME", "@Myself")]
    [InlineData("myself", "@Myself")]
    [InlineData("Jason", "@Jason")]
    [InlineData("Lior\nGenzel", "@Lior Genzel")]
    [InlineData("[[Lior Genzel]]", "@Lior Genzel")]
    public void TaskLine_Owner_RendersAsExpected(string owner, string expected) =>
        Assert.Contains($" {expected} #task", NoteRenderer.TaskLine(new("Do it", owner, null, "none"), "Jason Vallery"), StringComparison.Ordinal);

    [Fact]
    public void TaskLine_UnknownPriority_Throws() =>
        Assert.Throws<ArgumentException>(() => NoteRenderer.TaskLine(new("Do it", "", null, "critical"), "Me"));

    private static NoteContent Content() => new(
        Title: "MAI supply chain: next steps",
        Kind: "projects",
        Project: "Cloud",
        Person: null,
        Summary: "Jeff escalated supply risk.\n\nPlan needed now.",
        Participants: ["ignored: the document's participants are rendered"],
        ActionItems: [],
        Decisions: ["Lior leads introductions."],
        KeyInformation: [],
        Related: ["Jeff Denworth", "[[Lior Genzel]]", "", "Microsoft", "jeff denworth"],
        Reply: new ReplyAssessment(true, "high", "Asked a question"));

    private static NoteDocument Document(NoteContent content) => new(
        content,
        new DateOnly(2025, 12, 21),
        ["Jeff Denworth", "Jason Vallery", "Lior Genzel"],
        "email",
        "Sources/Email/2025/2025-12-21_075242_5666_Re-MAI-VAST.md",
        "Outbox/_prompts/2025-12-21_MAI.prompt.json",
        "Jason Vallery");
}
