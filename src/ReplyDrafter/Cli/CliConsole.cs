using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary>
/// Where a command writes: the process's own console, or writers a caller hands in (tests run commands side by side,
/// each with its own). Log lines of the command's host go to <see cref="Error"/> as well when it is not the console.
/// </summary>
/// <param name="IsOutputRedirected">False only for a terminal a person watches (tables, colour, progress bars).</param>
/// <param name="Captured">True when the writers are not the process's console.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool IsOutputRedirected, bool Captured)
{
    /// <summary>Standard input, for a secret given as <c>-</c> (nothing for captured writers unless a caller sets it).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    public static CliConsole Process() => new(Console.Out, Console.Error, Console.IsOutputRedirected, Captured: false) { Input = Console.In };

    public static CliConsole Writers(TextWriter output, TextWriter error) => new(output, error, IsOutputRedirected: true, Captured: true);

    /// <summary>
    /// Spectre's console for <see cref="Out"/>. Without a terminal Spectre assumes 80 columns and breaks sentences there;
    /// a file, a pipe or a service log gets every line whole instead.
    /// </summary>
    public IAnsiConsole Ansi()
    {
        var console = Captured ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) }) : AnsiConsole.Console;
        if (IsOutputRedirected)
        {
            console.Profile.Width = UnwrappedWidth;
        }

        return console;
    }

    /// <summary>Wide enough for any line a command prints; not int.MaxValue, which Spectre's layout arithmetic would overflow.</summary>
    internal const int UnwrappedWidth = 100_000;
}
