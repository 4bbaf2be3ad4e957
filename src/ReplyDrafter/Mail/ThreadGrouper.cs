namespace ReplyDrafter.Mail;

/// <summary>A thread's messages of one batch, with the thread's stable id.</summary>
public sealed record MessageGroup(string ThreadId, IReadOnlyList<EmailMessage> Messages);

/// <summary>Groups messages into threads by Message-ID / In-Reply-To / References, falling back to the normalized subject.</summary>
internal static class ThreadGrouper
{
    /// <summary>
    /// Groups a batch. <paramref name="knownThreadOfMessage"/> answers the thread id of a message already processed
    /// (from the ledger), <paramref name="knownThreadOfSubject"/> the thread id of a normalized subject. A new thread's
    /// id is its root message id (the first of References, else In-Reply-To, else its own Message-ID).
    /// </summary>
    public static IReadOnlyList<MessageGroup> Group(
        IReadOnlyList<EmailMessage> messages,
        Func<string, string?> knownThreadOfMessage,
        Func<string, string?> knownThreadOfSubject) =>
        throw new NotImplementedException();
}

/// <summary>Subject normalization for thread fallback and for "Re:" replies.</summary>
internal static class SubjectNormalizer
{
    /// <summary>Strips any run of Re:/RE:/Fwd:/FW:/AW:/WG:/SV:/Antw: prefixes and [tags] noise, folds whitespace.</summary>
    public static string Normalize(string subject) => throw new NotImplementedException();

    /// <summary>"Re: " + the subject without its reply/forward prefixes (so "Re:" appears exactly once).</summary>
    public static string ReplySubject(string subject) => throw new NotImplementedException();
}
