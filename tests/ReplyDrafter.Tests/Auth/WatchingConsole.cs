using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Rendering;
using Spectre.Console.Testing;

namespace ReplyDrafter.Tests.Auth;

/// <summary>A <see cref="TestConsole"/> that completes <see cref="Match"/> when its output first matches a pattern (group 1): the test acts on what was printed, when it is printed.</summary>
internal sealed class WatchingConsole(TestConsole inner, string pattern) : IAnsiConsole
{
    private readonly Regex _pattern = new(pattern, RegexOptions.CultureInvariant);
    private readonly TaskCompletionSource<string> _match = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Match => _match.Task;

    public Profile Profile => inner.Profile;

    public IAnsiConsoleCursor Cursor => inner.Cursor;

    public IAnsiConsoleInput Input => inner.Input;

    public IExclusivityMode ExclusivityMode => inner.ExclusivityMode;

    public RenderPipeline Pipeline => inner.Pipeline;

    public void Clear(bool home) => inner.Clear(home);

    public void WriteAnsi(Action<AnsiWriter> action) => inner.WriteAnsi(action);

    public void Write(IRenderable renderable)
    {
        inner.Write(renderable);
        if (!_match.Task.IsCompleted && _pattern.Match(inner.Output) is { Success: true } found)
        {
            _match.TrySetResult(found.Groups[1].Value);
        }
    }
}
