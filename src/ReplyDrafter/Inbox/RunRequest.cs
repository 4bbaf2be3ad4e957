namespace ReplyDrafter.Inbox;

internal enum RunMode
{
    /// <summary><c>run</c>: watch until stopped.</summary>
    Daemon,

    /// <summary><c>run --once</c>: what is waiting, then exit.</summary>
    Once,

    /// <summary><c>process FILE...</c>: the named files, left where they are.</summary>
    Files,
}

/// <summary>What the command line asked the worker to do (the exit code is what <c>InboxWorker.RunOnceAsync</c> returns).</summary>
internal sealed class RunRequest
{
    public RunMode Mode { get; init; } = RunMode.Daemon;

    public IReadOnlyList<string> Files { get; init; } = [];
}
