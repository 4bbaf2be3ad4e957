using ReplyDrafter.Llm;

namespace ReplyDrafter.Drafts;

/// <summary>
/// The learning loop as the draft step sees it (<c>Learning/OutcomeTracker</c>). A seam because learning reads and
/// re-renders drafts: the draft step reaches it only through this interface, so the dependency runs one way.
/// </summary>
internal interface IDraftOutcomes
{
    /// <summary>The user's earlier replies that show the draft how they write to these recipients.</summary>
    IReadOnlyList<SentReply> ExamplesFor(string threadId, IReadOnlyCollection<string> recipients);

    /// <summary>A draft just written for the thread: pending until the user replies or it is ignored.</summary>
    void DraftWritten(string threadId, string draftPath, string answeredId, DraftDocument draft, LlmRequest request);

    /// <summary>A superseded draft was deleted before anyone saw an outcome.</summary>
    void DraftWithdrawn(string draftPath);

    /// <summary>True when the draft has an outcome (sent, edited, rewritten, ignored).</summary>
    bool HasOutcome(string draftPath);
}
