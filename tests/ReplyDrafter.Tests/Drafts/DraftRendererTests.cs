using System.Text.Json;
using System.Text.RegularExpressions;
using ReplyDrafter.Drafts;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Drafts;

public sealed class DraftRendererTests
{
    private const string Signature = "Jason Vallery  \nVP, Product Management";

    public static TheoryData<string> Nasty => NastyStrings.AsTheoryData();

    [Fact]
    public void Render_TypicalDraft_MatchesExpectedMarkdown()
    {
        var markdown = DraftRenderer.Render(Draft());

        Assert.Equal(
            """
            ---
            type: draft-reply
            status: pending
            created: '2026-01-05T19:45:01'
            urgency: urgent
            to: Jeff Denworth <jeff@example.com>
            cc: []
            subject: 'Re: MAI / VAST December 8th EoD update'
            in_reply_to: <abc123@mail.example.com>
            source_file: Sources/Email/2025/2025-12-21_075242_5666_Re-MAI-VAST.md
            thread_note: Notes/MAI supply chain.md
            ai_model: gpt-5.2
            ai_temperature: 0.3
            prompt_file: Outbox/_prompts/2026-01-05_Reply-To_MAI.prompt.json
            ---

            # Draft Reply to Jeff Denworth

            **Regarding**: MAI supply chain
            **Urgency**: urgent

            ---

            ## Key Points to Address

            - Confirm who supplies the hardware
            - Send the analysis by 12/24

            ---

            ## Draft Response

            Jeff — we will supply the full configuration.

            Next steps:
            - lock the BOM
            - reserve flash

            Best,
            Jason Vallery  
            VP, Product Management

            ---

            ## Original Summary

            Jeff raised supply risk.

            ---

            *This draft was auto-generated. Edit and send via your email client.*

            """.ReplaceLineEndings("\n"),
            markdown);
    }

    [Fact]
    public void Render_NoTemperatureWithCcAndBracketedId_FrontmatterAsExpected()
    {
        var draft = Draft() with
        {
            AiTemperature = null,
            Cc = ["Renen Hallak <renen@example.com>", "ops@example.com"],
            InReplyTo = "<abc123@mail.example.com>",
        };

        var read = Frontmatter.Read(DraftRenderer.Render(draft));

        Assert.False(read.ContainsKey("ai_temperature"));
        Assert.Equal(["Renen Hallak <renen@example.com>", "ops@example.com"], read.GetStrings("cc"));
        Assert.Equal("<abc123@mail.example.com>", read.GetString("in_reply_to"));
        Assert.Equal("pending", DraftFile.ReadStatus(DraftRenderer.Render(draft)));
    }

    [Fact]
    public void Render_CreatedWithOffset_WritesThatOffsetsWallClock()
    {
        var draft = Draft() with { Created = new DateTimeOffset(2026, 1, 6, 3, 45, 1, TimeSpan.Zero) };

        Assert.Equal("2026-01-06T03:45:01", Frontmatter.Read(DraftRenderer.Render(draft)).GetString("created"));
    }

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Render_HostileHeaderValues_ReadBackSingleLinedAndExact(string hostile)
    {
        var draft = Draft() with
        {
            To = $"\"{hostile}\" <jeff@example.com>",
            Cc = [hostile + " <x@example.com>"],
            Subject = "Re: " + hostile,
            AiModel = "m " + hostile,
            RecipientName = hostile,
            Regarding = hostile,
            Content = new DraftContent(["---", "# " + hostile, hostile], hostile.Length == 0 ? "x" : hostile),
            OriginalSummary = hostile,
        };

        var markdown = DraftRenderer.Render(draft);
        var read = Frontmatter.Read(markdown);

        Assert.Equal(FrontmatterText.Inert(TextFolding.SingleLine(draft.To)), read.GetString("to"));
        Assert.Equal([FrontmatterText.Inert(TextFolding.SingleLine(draft.Cc[0]))], read.GetStrings("cc"));
        Assert.Equal(FrontmatterText.Inert(TextFolding.SingleLine(draft.Subject)), read.GetString("subject"));
        Assert.Equal(FrontmatterText.Inert(TextFolding.SingleLine(draft.AiModel)), read.GetString("ai_model"));
        Assert.Equal("pending", read.GetString("status"));
        Assert.Equal(0.3, read.GetDouble("ai_temperature"));

        var lines = Frontmatter.Body(markdown).Split('\n');
        Assert.Equal(["# ", "## Key Points to Address", "## Draft Response", "## Original Summary"],
            lines.Where(line => Regex.IsMatch(line, @"^#{1,6}(\s|$)")).Select(line => line.StartsWith("# ", StringComparison.Ordinal) ? "# " : line));
        Assert.Equal(4, lines.Count(line => line == "---"));
        Assert.EndsWith(DraftRenderer.Footer + "\n", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Thanks,\nJason Vallery\nVP, Product Management", "Thanks,\nJason Vallery  \nVP, Product Management")]
    [InlineData("Thanks,\n\nJason Vallery", "Thanks,\n\nJason Vallery  \nVP, Product Management")]
    [InlineData("Thanks!", "Thanks!\n\nJason Vallery  \nVP, Product Management")]
    [InlineData("Thanks!\n\n\n", "Thanks!\n\nJason Vallery  \nVP, Product Management")]
    public void ResponseWithSignature_ModelSignedOrNot_SignatureAppearsOnce(string body, string expected) =>
        Assert.Equal(expected, DraftRenderer.ResponseWithSignature(body, Signature));

    [Fact]
    public void ResponseWithSignature_NoSignature_BodyOnly() =>
        Assert.Equal("Thanks!", DraftRenderer.ResponseWithSignature("Thanks!\n", "  "));

    [Fact]
    public void ResponseWithSignature_InjectedTaskAndRule_Escaped() =>
        Assert.Equal("Hi\n- \\[ ] wire money\n\\---\n\nJ", DraftRenderer.ResponseWithSignature("Hi\n- [ ] wire money\n---", "J"));

    [Theory]
    [InlineData("critical")]
    [InlineData("")]
    public void Render_UnknownUrgency_Throws(string urgency) =>
        Assert.Throws<ArgumentException>(() => DraftRenderer.Render(Draft() with { Urgency = urgency }));

    [Fact]
    public void Render_AbsoluteSourceFile_Throws() =>
        Assert.Throws<ArgumentException>(() => DraftRenderer.Render(Draft() with { SourceFile = "/Users/me/Notes/Sources/Email/a.md" }));

    [Theory]
    [InlineData("---\ntype: draft-reply\nstatus: pending\n---\n# x\n", "pending")]
    [InlineData("---\ntype: draft-reply\nstatus: sent\n---\n# x\n", "sent")]
    [InlineData("---\ntype: draft-reply\n---\n# x\n", null)]
    [InlineData("# no frontmatter\nstatus: pending\n", null)]
    public void ReadStatus_Markdown_ReturnsStatus(string markdown, string? expected) =>
        Assert.Equal(expected, DraftFile.ReadStatus(markdown));

    [Fact]
    public void FromJson_ValidAnswer_TrimsAndDropsBlankPoints()
    {
        var content = DraftContent.FromJson(Parse("""{ "key_points": [" a ", ""], "body": " Hello\n\nJeff " }"""));

        Assert.Equal(["a"], content.KeyPoints);
        Assert.Equal("Hello\n\nJeff", content.Body);
    }

    [Theory]
    [InlineData("""{ "key_points": [] }""")]
    [InlineData("""{ "key_points": [], "body": "  " }""")]
    [InlineData("""{ "key_points": "a", "body": "b" }""")]
    [InlineData("""{ "key_points": [1], "body": "b" }""")]
    [InlineData("""["body"]""")]
    public void FromJson_InvalidAnswer_ThrowsFormatException(string json) =>
        Assert.Throws<FormatException>(() => DraftContent.FromJson(Parse(json)));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static DraftDocument Draft() => new(
        Created: new DateTimeOffset(2026, 1, 5, 19, 45, 1, 629, TimeSpan.FromHours(-8)),
        Urgency: "urgent",
        To: "Jeff Denworth <jeff@example.com>",
        Cc: [],
        Subject: "Re: MAI / VAST December 8th EoD update",
        InReplyTo: "abc123@mail.example.com",
        SourceFile: "Sources/Email/2025/2025-12-21_075242_5666_Re-MAI-VAST.md",
        ThreadNote: "Notes/MAI supply chain.md",
        AiModel: "gpt-5.2",
        AiTemperature: 0.3,
        PromptFile: "Outbox/_prompts/2026-01-05_Reply-To_MAI.prompt.json",
        RecipientName: "Jeff Denworth",
        Regarding: "MAI supply chain",
        Content: new DraftContent(
            ["Confirm who supplies the hardware", "Send the analysis by 12/24"],
            "Jeff — we will supply the full configuration.\n\nNext steps:\n- lock the BOM\n- reserve flash\n\nBest,\nJason Vallery"),
        Signature: Signature,
        OriginalSummary: "Jeff raised supply risk.");
}
