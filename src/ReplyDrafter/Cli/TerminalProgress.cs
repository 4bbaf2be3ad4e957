using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary>
/// A progress bar for long <c>run --once</c> / <c>process</c> batches when a person watches a terminal. While it is on
/// screen, log lines below Warning are held back (they would tear the bar); redirected output gets plain log lines.
/// </summary>
internal static class TerminalProgress
{
    private const int MinimumItems = 5;
    private static int s_active;

    /// <summary>True while a bar is drawn: the logging filter reads it.</summary>
    public static bool IsActive => Volatile.Read(ref s_active) != 0;

    public static bool IsInteractive => !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work)
    {
        if (items < MinimumItems || !IsInteractive || Interlocked.Exchange(ref s_active, 1) != 0)
        {
            return await work(null);
        }

        try
        {
            return await AnsiConsole.Progress()
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
            Volatile.Write(ref s_active, 0);
        }
    }
}
