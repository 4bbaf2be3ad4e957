using ReplyDrafter.Security;
using Serilog.Events;
using Serilog.Parsing;

namespace ReplyDrafter.Tests.Security;

public sealed class ControlTextTests
{
    [Theory]
    [InlineData("plain name.eml", "plain name.eml")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nERROR forged", "a\\r\\nERROR forged")]
    [InlineData("\u001B[31mred\u001B[0m", "\\e[31mred\\e[0m")]
    [InlineData("bell\u0007", "bell\\u0007")]
    [InlineData("c1\u009Bx", "c1\\u009Bx")]
    [InlineData("txt.\u202Eexe", "txt.\\u202Eexe")]
    [InlineData("zero\u200Bwidth", "zero\\u200Bwidth")]
    public void Escape_ControlCharacters_BecomeVisible(string text, string expected) =>
        Assert.Equal(expected, ControlText.Escape(text));

    [Fact]
    public void FileNameForConsole_SpacesAndQuotes_AreQuoted() =>
        Assert.Equal("\"a \\\"b\\\"\\n.eml\"", ControlText.FileNameForConsole("a \"b\"\n.eml"));

    [Theory]
    [InlineData("```\n# pwned\n```.eml")]
    [InlineData("<img src=http://e.example/p.png>.eml")]
    [InlineData("[[.obsidian/workspace.json]].eml")]
    public void FileNameForMarkdown_FenceOrMarkup_StaysOneInertLine(string name)
    {
        var markdown = ControlText.FileNameForMarkdown(name);

        Assert.DoesNotContain('\n', markdown);
        Assert.DoesNotContain("```", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("[[", markdown, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!\\)<", markdown);
    }

    [Fact]
    public void LogTextEnricher_StringPropertiesEverywhere_AreEscaped()
    {
        var logEvent = new LogEvent(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Warning,
            exception: null,
            new MessageTemplateParser().Parse("Skipped {File} {Names} {Item}"),
            [
                new LogEventProperty("File", new ScalarValue("x.eml\n2026-01-01 [ERR] forged")),
                new LogEventProperty("Names", new SequenceValue([new ScalarValue("\u001B[2J"), new ScalarValue("ok")])),
                new LogEventProperty("Item", new StructureValue([new LogEventProperty("Subject", new ScalarValue("a\u202Eb"))])),
                new LogEventProperty("Count", new ScalarValue(3)),
            ]);

        new LogTextEnricher().Enrich(logEvent, null!);

        using var writer = new StringWriter();
        logEvent.RenderMessage(writer, System.Globalization.CultureInfo.InvariantCulture);
        var line = writer.ToString();
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\u001B', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.Contains("x.eml\\n2026-01-01 [ERR] forged", line, StringComparison.Ordinal);
        Assert.Equal(3, ((ScalarValue)logEvent.Properties["Count"]).Value);
    }

    [Fact]
    public void LogTextEnricher_CleanEvent_KeepsItsValues()
    {
        var value = new ScalarValue("clean");
        Assert.Same(value, LogTextEnricher.Clean(value));
    }
}
