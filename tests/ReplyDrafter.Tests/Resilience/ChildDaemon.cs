using System.Diagnostics;
using System.Text;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>Tests that start the real program as a child process: one after another (each is a few processes at once), beside the other collections.</summary>
[CollectionDefinition(nameof(ChildProcessTests))]
public sealed class ChildProcessTests;

/// <summary>
/// The built <c>replydrafter.dll</c> running as a child process (<c>dotnet replydrafter.dll ARGS</c>): its output is
/// captured, and it can be killed outright (SIGKILL, as <c>kill -9</c>) or asked to stop (SIGTERM, as systemd does).
/// </summary>
internal sealed class ChildDaemon : IAsyncDisposable
{
    private static readonly Lazy<string> s_program = new(Locate);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();
    private long _peakWorkingSet;

    // Completed (and replaced) whenever the child writes a line or exits: waits wake on events, never on a timer.
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildDaemon(Process process) => _process = process;

    /// <summary>The program's main assembly, next to the tests (the test project references the app project).</summary>
    public static string ProgramPath => s_program.Value;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>The largest working set seen by <see cref="SampleMemory"/>.</summary>
    public long PeakWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    /// <param name="environment">Variables set for the child only (e.g. its own <c>XDG_CONFIG_HOME</c>).</param>
    public static ChildDaemon Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(ProgramPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child reads no settings from the developer's environment: only what the test passes.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ReplyDrafter__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildDaemon(process);
        process.OutputDataReceived += (_, e) => child.Append(child._output, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._error, e.Data);
        process.Exited += (_, _) => child.Signal();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL, no warning: what a power cut or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the polite stop a service manager sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>The exit code; fails the test (with the child's log) when it does not exit in time.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"replydrafter did not exit within {timeout}.\n{Error}");
        }

        // Let the redirected streams drain.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until the child's log says <paramref name="text"/>; fails with the log when it does not in time.</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout) => WaitForAnyLogAsync([text], timeout);

    /// <summary>Waits until the child's log says one of <paramref name="texts"/>, and returns which.</summary>
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

    /// <summary>Waits until the child's log holds <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    public Task WaitForLogCountAsync(string text, int count, TimeSpan timeout) =>
        WaitUntilAsync(() => Occurrences(Error + Output, text) >= count, timeout, $"replydrafter said \"{text}\" fewer than {count} times");

    /// <summary>Checks <paramref name="condition"/> each time the child writes a line (or exits) until it holds.</summary>
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

            if (_process.HasExited && changed.IsCompleted)
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

                throw new TimeoutException($"{what} within {timeout} (exited: {_process.HasExited}).\n{Error}");
            }
        }
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

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    /// <summary>Records the current working set; call it while the child runs.</summary>
    public void SampleMemory()
    {
        try
        {
            _process.Refresh();
            var current = _process.WorkingSet64;
            long seen;
            while (current > (seen = Interlocked.Read(ref _peakWorkingSet)) && Interlocked.CompareExchange(ref _peakWorkingSet, current, seen) != seen)
            {
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between samples.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
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

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                ? self
                : "dotnet";

    private static string Locate()
    {
        // The app's own build output is complete; the copy beside the tests lacks the packages the test project gets
        // from the ASP.NET Core shared framework (Microsoft.Extensions.Hosting...), which the app's runtimeconfig does not name.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "ReplyDrafter", "bin", configuration, "net10.0", "replydrafter.dll");
            if (IsRunnable(candidate))
            {
                return candidate;
            }
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "replydrafter.dll");
        if (IsRunnable(beside))
        {
            return beside;
        }

        throw new FileNotFoundException("A runnable replydrafter.dll was found neither under src/ReplyDrafter/bin nor beside the tests; build the solution first.");
    }

    private static bool IsRunnable(string program)
    {
        var folder = Path.GetDirectoryName(program)!;
        return File.Exists(program)
            && File.Exists(Path.ChangeExtension(program, ".runtimeconfig.json"))
            && File.Exists(Path.Combine(folder, "Microsoft.Extensions.Hosting.dll"))
            && File.Exists(Path.Combine(folder, "appsettings.json"));
    }
}
