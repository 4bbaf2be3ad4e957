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

/// <summary>What the command line asked the worker to do, and the exit code it leaves.</summary>
internal sealed class RunRequest
{
    public RunMode Mode { get; init; } = RunMode.Daemon;

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>0 all succeeded; 1 some items failed or the LLM stayed unreachable.</summary>
    public int ExitCode { get; set; }
}
