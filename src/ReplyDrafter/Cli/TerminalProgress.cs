using ReplyDrafter.Inbox;
using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary>
/// A progress bar for long <c>run --once</c> / <c>process</c> batches when a person watches a terminal. While it is on
/// screen, log lines below Warning are held back (they would tear the bar); redirected output gets plain log lines.
/// </summary>
internal sealed class TerminalProgress(IAnsiConsole console, bool interactive) : IBatchProgress
{
    private const int MinimumItems = 5;
    private int _active;

    /// <summary>The process's own terminal: a bar only when neither output is redirected.</summary>
    public TerminalProgress()
        : this(AnsiConsole.Console, !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive)
    {
    }

    /// <summary>True while a bar is drawn: the logging filter reads it.</summary>
    public bool IsShowing => Volatile.Read(ref _active) != 0;

    public async Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (items < MinimumItems || !interactive || Interlocked.Exchange(ref _active, 1) != 0)
        {
            return await work(null);
        }

        try
        {
            return await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Processing {items} items", maxValue: 1.0);
                    var result = await work(new Progress<double>(fraction => task.Value = Math.Max(task.Value, fraction)));
                    task.Value = 1.0;
                    return result;
                });
        }
        finally
        {
            Volatile.Write(ref _active, 0);
        }
    }
}
