using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Tests.Auth;

/// <summary>Console output that completes <see cref="Match"/> with the first line matching a pattern (group 1), so a test waits on the line, not on a timer.</summary>
internal sealed class LineWatcher(string pattern) : TextWriter
{
    private readonly Regex _pattern = new(pattern, RegexOptions.CultureInvariant);
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource<string> _match = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _lineStart;

    public Task<string> Match => _match.Task;

    public override Encoding Encoding => Encoding.UTF8;

    // TextWriter sends every overload through here.
    public override void Write(char value)
    {
        string? line = null;
        lock (_gate)
        {
            _text.Append(value);
            if (value == '\n')
            {
                line = _text.ToString(_lineStart, _text.Length - _lineStart);
                _lineStart = _text.Length;
            }
        }

        if (line is not null && _pattern.Match(line) is { Success: true } found)
        {
            _match.TrySetResult(found.Groups[1].Value);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
