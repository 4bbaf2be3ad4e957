namespace ReplyDrafter.Inbox;

/// <summary>
/// Shows a batch's progress to whoever watches (the command line draws a bar when a person watches a terminal).
/// Injected, so the worker never reaches for a console and tests run side by side.
/// </summary>
internal interface IBatchProgress
{
    /// <summary>True while progress is on screen: log lines below Warning are held back meanwhile (they would tear it).</summary>
    bool IsShowing { get; }

    /// <summary>Runs <paramref name="work"/>, giving it a progress sink (0 to 1) or null when nothing is shown.</summary>
    Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work);
}
