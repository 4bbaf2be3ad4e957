namespace ReplyDrafter.Learning;

/// <summary>One draft as the figures see it.</summary>
/// <param name="Similarity">For sent, edited and rewritten drafts.</param>
internal sealed record DraftRecordFigure(string Model, string TemplateSha256, DateTimeOffset CreatedAt, DraftOutcome Outcome, double? Similarity);

/// <summary>The acceptance figures of one model and prompt template version.</summary>
/// <param name="Missed">User replies in threads without a draft, counted against the model and template in use for the period.</param>
internal sealed record OutcomeFigures(
    string Model,
    string TemplateSha256,
    int Drafts,
    int Sent,
    int Edited,
    int Rewritten,
    int Ignored,
    int Pending,
    double SentShare,
    double EditedShare,
    double RewrittenShare,
    double IgnoredShare,
    double? MedianSimilarity);

/// <summary>The report <c>status</c> shows: the last 30 days of drafts, per model and prompt template version.</summary>
/// <param name="Missed">Replies the user wrote in threads that had no draft.</param>
internal sealed record OutcomeReport(DateTimeOffset Since, IReadOnlyList<OutcomeFigures> Groups, int Missed);

internal static class OutcomeReports
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public static OutcomeReport Build(IEnumerable<DraftRecordFigure> drafts, IEnumerable<DateTimeOffset> missedAt, DateTimeOffset now)
    {
        var since = now - Window;
        var groups = drafts
            .Where(d => d.CreatedAt >= since && d.Outcome != DraftOutcome.Missed)
            .GroupBy(d => (d.Model, d.TemplateSha256))
            .Select(g => Figures(g.Key.Model, g.Key.TemplateSha256, g.ToList()))
            .OrderBy(f => f.Model, StringComparer.Ordinal)
            .ThenBy(f => f.TemplateSha256, StringComparer.Ordinal)
            .ToList();
        return new OutcomeReport(since, groups, missedAt.Count(t => t >= since));
    }

    private static OutcomeFigures Figures(string model, string template, List<DraftRecordFigure> drafts)
    {
        int Count(DraftOutcome outcome) => drafts.Count(d => d.Outcome == outcome);
        double Share(int n) => drafts.Count == 0 ? 0 : Math.Round((double)n / drafts.Count, 4);
        var (sent, edited, rewritten, ignored) = (Count(DraftOutcome.Sent), Count(DraftOutcome.Edited), Count(DraftOutcome.Rewritten), Count(DraftOutcome.Ignored));
        return new OutcomeFigures(
            model, template, drafts.Count, sent, edited, rewritten, ignored, Count(DraftOutcome.Pending),
            Share(sent), Share(edited), Share(rewritten), Share(ignored),
            Median(drafts.Select(d => d.Similarity).OfType<double>().ToList()));
    }

    internal static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        return Math.Round(values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2, 4);
    }
}
