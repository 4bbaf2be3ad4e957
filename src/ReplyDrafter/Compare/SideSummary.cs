using ReplyDrafter.Learning;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Compare;

/// <summary>
/// One side of the comparison in figures: similarity to what was sent (mean, median), the shares that would count as
/// sent, edited and rewritten (the learning's thresholds), and calls, tokens and estimated cost.
/// </summary>
/// <param name="Cost">Estimated from <c>Llm:Pricing</c>; null when no price is configured.</param>
internal sealed record SideSummary(
    int Drafts,
    double? MeanSimilarity,
    double? MedianSimilarity,
    double SentShare,
    double EditedShare,
    double RewrittenShare,
    int Calls,
    long InputTokens,
    long OutputTokens,
    decimal? Cost)
{
    public static SideSummary From(IReadOnlyList<DraftSide> sides, LlmPricing pricing)
    {
        ArgumentNullException.ThrowIfNull(sides);
        ArgumentNullException.ThrowIfNull(pricing);
        double Share(DraftOutcome outcome) =>
            sides.Count == 0 ? 0 : Math.Round((double)sides.Count(s => DraftOutcomes.FromSimilarity(s.Similarity) == outcome) / sides.Count, 4);

        long input = sides.Sum(s => s.Usage.InputTokens ?? 0);
        long cached = sides.Sum(s => s.Usage.CachedInputTokens ?? 0);
        long output = sides.Sum(s => s.Usage.OutputTokens ?? 0);
        return new SideSummary(
            sides.Count,
            sides.Count == 0 ? null : Math.Round(sides.Average(s => s.Similarity), 4),
            OutcomeReports.Median(sides.Select(s => s.Similarity).ToList()),
            Share(DraftOutcome.Sent),
            Share(DraftOutcome.Edited),
            Share(DraftOutcome.Rewritten),
            sides.Sum(s => s.Calls),
            input,
            output,
            LlmCost.Estimate(pricing, input, cached, output));
    }
}
