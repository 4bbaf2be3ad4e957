using System.Diagnostics;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>Tests that start the real program as a child process: one after another (each is a few processes at once), beside the other collections.</summary>
[CollectionDefinition(nameof(ChildProcessTests))]
public sealed class ChildProcessTests;

/// <summary>
/// The built <c>replydrafter.dll</c> running as a child process (<c>dotnet replydrafter.dll ARGS</c>): its output is
/// captured, and it can be killed outright (SIGKILL, as <c>kill -9</c>) or asked to stop (SIGTERM, as systemd does).
/// </summary>
internal sealed class ChildDaemon : RunningDaemon
{
    private static readonly Lazy<string> s_program = new(Locate);

    private readonly Process _process;
    private long _peakWorkingSet;

    private ChildDaemon(Process process) => _process = process;

    /// <summary>The program's main assembly, next to the tests (the test project references the app project).</summary>
    public static string ProgramPath => s_program.Value;

    public int Id => _process.Id;

    public override bool HasExited => _process.HasExited;

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
        process.OutputDataReceived += (_, e) => child.AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) => child.AppendError(e.Data);
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
    public override void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>The exit code; fails the test (with the child's log) when it does not exit in time.</summary>
    public override async Task<int> WaitForExitAsync(TimeSpan timeout)
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

    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
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
