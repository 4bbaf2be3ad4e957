using ReplyDrafter.Cli;
using Spectre.Console;

namespace ReplyDrafter.Tests.Cli;

public sealed class CliConsoleTests
{
    [Fact]
    public void Ansi_OutputNotATerminal_LongSentenceStaysOnOneLine()
    {
        using var output = new StringWriter();
        var console = CliConsole.Writers(output, TextWriter.Null).Ansi();
        string sentence = string.Join(' ', Enumerable.Repeat("word", 60)) + ".";

        console.MarkupLine(sentence);

        Assert.Equal(sentence, output.ToString().TrimEnd('\r', '\n'));
    }
}
