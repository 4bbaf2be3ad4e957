using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>
/// <c>replydrafter ARGS</c> run inside the test process through the same command line and <c>AddReplyDrafter()</c> as
/// Program.cs (telemetry left out: the telemetry tests listen process-wide), its output and log lines captured. For a
/// daemon test that needs no process of its own (no kill, no signal, no environment of its own): a child process costs
/// a few seconds of start-up and compilation that the test process has already paid.
/// <see cref="Terminate"/> stops the host the way SIGTERM does (<see cref="IHostApplicationLifetime.StopApplication"/>).
/// </summary>
internal sealed class InProcessDaemon : RunningDaemon
{
    private readonly TaskCompletionSource<IHostApplicationLifetime> _lifetime = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int> _run = Task.FromResult(0);

    private InProcessDaemon()
    {
    }

    public override bool HasExited => _run.IsCompleted;

    public static InProcessDaemon Start(IEnumerable<string> arguments)
    {
        var daemon = new InProcessDaemon();
        var console = CliConsole.Writers(new LineWriter(daemon.AppendOutput), new LineWriter(daemon.AppendError));
        string[] args = [.. arguments];
        daemon._run = Task.Run(() => ReplyDrafterCommandLine.InvokeAsync(
            args,
            settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.AddReplyDrafter();
                builder.Services.AddHostedService(sp => new LifetimeHandle(sp.GetRequiredService<IHostApplicationLifetime>(), daemon._lifetime));
                return builder;
            },
            console));
        _ = daemon._run.ContinueWith(_ => daemon.Signal(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return daemon;
    }

    public override void Terminate()
    {
        // Before the host has started there is nothing to stop yet: the stop is handed over as soon as it starts.
        _ = _lifetime.Task.ContinueWith(t => t.Result.StopApplication(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    public override async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            return await _run.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Terminate();
            throw new TimeoutException($"replydrafter did not exit within {timeout}.\n{Error}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            Terminate();
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // Left behind; the test has failed already.
            }
        }
    }

    /// <summary>Hands the host's lifetime to the test once the host starts.</summary>
    private sealed class LifetimeHandle(IHostApplicationLifetime lifetime, TaskCompletionSource<IHostApplicationLifetime> handle) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            handle.TrySetResult(lifetime);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A writer that hands each finished line on, as a child's redirected stream does.</summary>
    private sealed class LineWriter(Action<string?> line) : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            string? done = null;
            lock (_pending)
            {
                if (value == '\n')
                {
                    done = _pending.ToString().TrimEnd('\r');
                    _pending.Clear();
                }
                else
                {
                    _pending.Append(value);
                }
            }

            if (done is not null)
            {
                line(done);
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? string.Empty)
            {
                Write(c);
            }
        }
    }
}
