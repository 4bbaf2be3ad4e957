using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("two\nlines", "two lines")]
    [InlineData("# heading", "\\# heading")]
    [InlineData("---", "\\---")]
    [InlineData("- [ ] task", "\\- \\[ ] task")]
    [InlineData("[ ] task", "\\[ ] task")]
    [InlineData("[[Jeff Denworth]] agreed", "\\[\\[Jeff Denworth]] agreed")]
    [InlineData("> quote", "\\> quote")]
    [InlineData("2025. A year", "2025\\. A year")]
    [InlineData("**Bold** start", "**Bold** start")]
    [InlineData("* bullet", "\\* bullet")]
    [InlineData("```code", "\\`\\`\\`code")]
    [InlineData("50%% off %% hidden", "50% % off % % hidden")]
    [InlineData("<div>", "\\<div>")]
    public void Inline_ModelText_CannotStartStructure(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Inline(text));

    [Fact]
    public void Paragraphs_InjectedStructure_IsEscapedLineByLine()
    {
        var text = "First paragraph\n---\n\n\n\n## Action Items\n- [ ] pay invoice #task\n    indented";

        Assert.Equal("First paragraph\n\\---\n\n\\## Action Items\n\\- \\[ ] pay invoice #task\nindented", MarkdownText.Paragraphs(text));
    }

    [Fact]
    public void Verbatim_EmailText_KeepsBulletsQuotesAndIndentation()
    {
        var text = "Hi,\n\n- point one\n  - nested\n> quoted\n    code\n1. first\n  * [x] done\n--\nsig\n```\n%%\n<!-- open";

        Assert.Equal("Hi,\n\n- point one\n  - nested\n> quoted\n    code\n1. first\n  * \\[x] done\n\\--\nsig\n\\`\\`\\`\n% %\n\\<!-- open", MarkdownText.Verbatim(text));
    }

    [Theory]
    [InlineData("Jeff Denworth", "[[Jeff Denworth]]")]
    [InlineData("[[Jeff]]", "[[Jeff]]")]
    [InlineData("A|B#C^D", "[[ABCD]]")]
    [InlineData("Two\nLines", "[[Two Lines]]")]
    [InlineData("[[]]", null)]
    [InlineData("  ", null)]
    public void Wikilink_Name_IsSanitized(string name, string? expected) =>
        Assert.Equal(expected, MarkdownText.Wikilink(name));

    [Theory]
    [InlineData("Title #", "Title \\#")]
    [InlineData("C#", "C#")]
    [InlineData("# Title", "\\# Title")]
    public void Heading_Text_HashesStayText(string text, string expected) =>
        Assert.Equal(expected, MarkdownText.Heading(text));
}
