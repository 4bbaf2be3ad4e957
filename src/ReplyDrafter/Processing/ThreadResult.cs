namespace ReplyDrafter.Processing;

internal enum ThreadStatus
{
    Done,

    /// <summary>The LLM is unreachable or paused: the thread's items wait in the inbox.</summary>
    Waiting,

    /// <summary>The thread cannot be processed (the model refused or kept answering badly): its items fail.</summary>
    Failed,
}

internal sealed record ThreadResult(string ThreadId, ThreadStatus Status, string? Reason = null, Llm.LlmFailureKind? Failure = null)
{
    public static ThreadResult Done(string threadId) => new(threadId, ThreadStatus.Done);
}

/// <summary>One unit of LLM work: an email thread (messages from the ledger) or a transcript.</summary>
internal sealed record ThreadWork(string ThreadId, Mail.TranscriptDocument? Transcript = null, string? TranscriptSourceRef = null);
