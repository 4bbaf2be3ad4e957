using ReplyDrafter.Learning;

namespace ReplyDrafter.Tests.Learning;

public sealed class OutcomeReportsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_GroupsByModelAndTemplate_WithSharesAndMedian()
    {
        var drafts = new[]
        {
            new DraftRecordFigure("gpt-4o", "aaa", Now.AddDays(-1), DraftOutcome.Sent, 0.95),
            new DraftRecordFigure("gpt-4o", "aaa", Now.AddDays(-2), DraftOutcome.Edited, 0.7),
            new DraftRecordFigure("gpt-4o", "aaa", Now.AddDays(-3), DraftOutcome.Rewritten, 0.2),
            new DraftRecordFigure("gpt-4o", "aaa", Now.AddDays(-4), DraftOutcome.Ignored, null),
            new DraftRecordFigure("gpt-4o", "bbb", Now.AddDays(-5), DraftOutcome.Pending, null),
            new DraftRecordFigure("llama", "aaa", Now.AddDays(-40), DraftOutcome.Sent, 1.0),
        };

        var report = OutcomeReports.Build(drafts, [Now.AddDays(-1), Now.AddDays(-31)], Now);

        Assert.Equal(1, report.Missed);
        Assert.Equal(2, report.Groups.Count);
        var a = report.Groups[0];
        Assert.Equal(("gpt-4o", "aaa", 4, 1, 1, 1, 1), (a.Model, a.TemplateSha256, a.Drafts, a.Sent, a.Edited, a.Rewritten, a.Ignored));
        Assert.Equal((0.25, 0.25, 0.25, 0.25), (a.SentShare, a.EditedShare, a.RewrittenShare, a.IgnoredShare));
        Assert.Equal(0.7, a.MedianSimilarity);
        Assert.Equal(("bbb", 1, 1, null), (report.Groups[1].TemplateSha256, report.Groups[1].Drafts, report.Groups[1].Pending, report.Groups[1].MedianSimilarity));
    }

    [Theory]
    [InlineData(new double[] { 0.5, 0.9 }, 0.7)]
    [InlineData(new double[] { 0.9, 0.1, 0.5 }, 0.5)]
    public void Median_EvenAndOdd(double[] values, double expected)
    {
        Assert.Equal(expected, OutcomeReports.Median([.. values]));
    }
}
