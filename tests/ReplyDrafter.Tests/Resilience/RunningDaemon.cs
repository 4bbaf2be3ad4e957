using System.Text;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>
/// A running <c>replydrafter</c>, in a child process (<see cref="ChildDaemon"/>) or in the test process
/// (<see cref="InProcessDaemon"/>): what it printed so far, and waits that wake on each line it writes, never on a timer.
/// </summary>
internal abstract class RunningDaemon : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();

    // Completed (and replaced) whenever the program writes a line or exits.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Standard output so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard error so far (the log lines go there).</summary>
    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public abstract bool HasExited { get; }

    /// <summary>The polite stop: SIGTERM for a child, the host's own stop (where SIGTERM leads) in the test process.</summary>
    public abstract void Terminate();

    /// <summary>The exit code; fails the test (with the log) when it does not exit in time.</summary>
    public abstract Task<int> WaitForExitAsync(TimeSpan timeout);

    public abstract ValueTask DisposeAsync();

    /// <summary>Waits until the log says <paramref name="text"/>; fails with the log when it does not in time.</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout) => WaitForAnyLogAsync([text], timeout);

    /// <summary>Waits until the log says one of <paramref name="texts"/>, and returns which.</summary>
    public async Task<string> WaitForAnyLogAsync(IReadOnlyList<string> texts, TimeSpan timeout)
    {
        string? seen = null;
        await WaitUntilAsync(
            () =>
            {
                var log = Error + Output;
                seen = texts.FirstOrDefault(t => log.Contains(t, StringComparison.Ordinal));
                return seen is not null;
            },
            timeout,
            $"replydrafter never said \"{string.Join("\" or \"", texts)}\"");
        return seen!;
    }

    /// <summary>Waits until the log holds <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    public Task WaitForLogCountAsync(string text, int count, TimeSpan timeout) =>
        WaitUntilAsync(() => Occurrences(Error + Output, text) >= count, timeout, $"replydrafter said \"{text}\" fewer than {count} times");

    /// <summary>Checks <paramref name="condition"/> each time the program writes a line (or exits) until it holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            if (HasExited && changed.IsCompleted)
            {
                throw new TimeoutException($"{what} (it exited).\n{Error}");
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"{what} within {timeout} (exited: {HasExited}).\n{Error}");
            }
        }
    }

    protected void AppendOutput(string? line) => Append(_output, line);

    protected void AppendError(string? line) => Append(_error, line);

    /// <summary>Wakes the waits: a line was written, or the program exited.</summary>
    protected void Signal()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Append(line).Append('\n');
        }

        Signal();
    }
}
