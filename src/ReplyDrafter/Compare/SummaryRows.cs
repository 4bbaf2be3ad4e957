using System.Globalization;

namespace ReplyDrafter.Compare;

/// <summary>The summary table's rows (label, original, candidate) as the text table and the HTML page both show them.</summary>
internal static class SummaryRows
{
    public static IReadOnlyList<(string Label, string Original, string Candidate)> Of(SideSummary original, SideSummary candidate)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(candidate);
        return
        [
            ("mean similarity", Number(original.MeanSimilarity), Number(candidate.MeanSimilarity)),
            ("median similarity", Number(original.MedianSimilarity), Number(candidate.MedianSimilarity)),
            ("sent (>= 0.9)", Percent(original.SentShare), Percent(candidate.SentShare)),
            ("edited (0.5-0.9)", Percent(original.EditedShare), Percent(candidate.EditedShare)),
            ("rewritten (< 0.5)", Percent(original.RewrittenShare), Percent(candidate.RewrittenShare)),
            ("calls", Whole(original.Calls), Whole(candidate.Calls)),
            ("tokens in", Whole(original.InputTokens), Whole(candidate.InputTokens)),
            ("tokens out", Whole(original.OutputTokens), Whole(candidate.OutputTokens)),
            ("estimated cost", Cost(original.Cost), Cost(candidate.Cost)),
        ];
    }

    public static string Number(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Cost(decimal? cost) => cost?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "no price";
}
