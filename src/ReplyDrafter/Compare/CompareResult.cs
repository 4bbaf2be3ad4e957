namespace ReplyDrafter.Compare;

/// <summary>What the candidate was: the settings that changed, as the user gave them.</summary>
/// <param name="Prompts">The other prompt folder, when given.</param>
internal sealed record CandidateDescription(string Model, string Provider, string EndpointHost, double? Temperature, string? Prompts, string? TemplateSha256);

/// <summary>Everything <c>compare</c> found: per draft, per side, and the difference with its interval.</summary>
/// <param name="Pending">Drafts in the window not compared because the run was stopped (Ctrl-C) or the model stopped answering.</param>
internal sealed record CompareResult(
    DateTimeOffset Since,
    CandidateDescription Candidate,
    IReadOnlyList<ComparedDraft> Drafts,
    IReadOnlyList<SkippedDraft> Skipped,
    int Pending,
    bool Interrupted,
    SideSummary Original,
    SideSummary CandidateSide,
    DifferenceInterval Difference)
{
    /// <summary>The drafts with the largest difference (either way) first: where the two sides part most.</summary>
    public IEnumerable<ComparedDraft> ByDifference() =>
        Drafts.OrderByDescending(d => Math.Abs(d.Difference)).ThenBy(d => d.DraftPath, StringComparer.Ordinal);
}
