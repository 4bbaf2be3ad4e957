using ReplyDrafter.Llm;

namespace ReplyDrafter.Compare;

/// <summary>One side of a draft: its text without the signature, how close it came to what was sent, and what it cost.</summary>
/// <param name="Calls">HTTP calls made for it, retries included.</param>
internal sealed record DraftSide(string Text, double Similarity, LlmUsage Usage, int Calls);

/// <summary>A draft whose outcome is known, with the original and the candidate set against what the user sent.</summary>
/// <param name="DraftPath">The Outbox file, vault-relative (as the ledger keeps it).</param>
/// <param name="Cached">True when the candidate came from an earlier run's cache (no call this time).</param>
internal sealed record ComparedDraft(string DraftPath, string RecordPath, DateTimeOffset CreatedAt, string SentText, DraftSide Original, DraftSide Candidate, bool Cached)
{
    /// <summary>Candidate minus original: positive when the candidate came closer to what was sent.</summary>
    public double Difference => Candidate.Similarity - Original.Similarity;
}

/// <summary>A draft that could not be compared, and why (one line, no mail text).</summary>
/// <param name="Failed">True when a call or an answer failed (the exit code says so); false for a draft that cannot be compared at all.</param>
internal sealed record SkippedDraft(string DraftPath, string Reason, bool Failed = false);
