using System.Globalization;
using System.Text;
using ReplyDrafter.Learning;

namespace ReplyDrafter.Cli.Status;

/// <summary>The <c>status</c> section on what became of the drafts of the last 30 days, per model and prompt template version.</summary>
internal static class LearningStatus
{
    /// <summary>
    /// Reads the ledger only: a draft still pending past <paramref name="ignoredAfter"/> counts as ignored here even
    /// before the worker has marked it, so <c>status</c> never has to write.
    /// </summary>
    public static OutcomeReport Gather(Ledger.VaultLedger ledger, TimeSpan ignoredAfter, DateTimeOffset now)
    {
        var since = now - OutcomeReports.Window;
        var drafts = ledger.Drafts(since).Select(d =>
        {
            var outcome = DraftOutcomes.Parse(d.Outcome);
            if (outcome == DraftOutcome.Pending && d.CreatedAt <= now - ignoredAfter)
            {
                outcome = DraftOutcome.Ignored;
            }

            return new DraftRecordFigure(d.Model, d.TemplateSha256, d.CreatedAt, outcome, d.Similarity);
        });
        var missed = ledger.UserReplies(DraftOutcome.Missed.ToWord()).Select(r => r.SeenAt);
        return OutcomeReports.Build(drafts, missed, now);
    }

    /// <summary>One line per model and template (its SHA-256 shortened to 12 characters), then the missed replies.</summary>
    public static IEnumerable<string> Lines(OutcomeReport report)
    {
        if (report.Groups.Count == 0)
        {
            yield return $"no drafts in the last 30 days, {report.Missed} missed";
            yield break;
        }

        foreach (var g in report.Groups)
        {
            var line = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"{g.Model} (prompt {g.TemplateSha256[..Math.Min(12, g.TemplateSha256.Length)]}): {g.Drafts} draft(s), ")
                .Append(CultureInfo.InvariantCulture, $"{Percent(g.SentShare)} sent as drafted, {Percent(g.EditedShare)} edited, {Percent(g.RewrittenShare)} rewritten, ")
                .Append(CultureInfo.InvariantCulture, $"{Percent(g.IgnoredShare)} ignored, {g.Pending} pending");
            if (g.MedianSimilarity is { } median)
            {
                line.Append(CultureInfo.InvariantCulture, $", median similarity {median:0.00}");
            }

            yield return line.ToString();
        }

        yield return $"{report.Missed} missed (you replied where there was no draft)";
    }

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
}
