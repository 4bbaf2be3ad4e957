using ReplyDrafter.Compare;

namespace ReplyDrafter.Tests.Compare;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void Estimate_SameDifferences_SameIntervalEveryTime()
    {
        double[] differences = [0.1, -0.2, 0.3, 0.05, -0.1, 0.2, 0.0, 0.15];
        Assert.Equal(PairedBootstrap.Estimate(differences), PairedBootstrap.Estimate(differences));
    }

    [Fact]
    public void Estimate_ClearImprovement_IntervalExcludesZero()
    {
        double[] differences = [0.3, 0.25, 0.4, 0.2, 0.35, 0.3, 0.28, 0.33, 0.22, 0.31];
        var interval = PairedBootstrap.Estimate(differences);
        Assert.True(interval.Low > 0, interval.ToString());
        Assert.True(interval.ExcludesZero);
    }

    [Fact]
    public void Estimate_NoiseAroundZero_IntervalIncludesZero()
    {
        double[] differences = [0.3, -0.25, 0.1, -0.2, 0.05, -0.1, 0.2, -0.15, 0.0, 0.05];
        var interval = PairedBootstrap.Estimate(differences);
        Assert.True(interval.Low < 0 && interval.High > 0, interval.ToString());
        Assert.False(interval.ExcludesZero);
        Assert.Contains("no clear difference", interval.Reading(), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_OneDraft_MeanWithoutInterval()
    {
        var interval = PairedBootstrap.Estimate([0.4]);
        Assert.Equal((0.4, null, null), (interval.Mean, interval.Low, interval.High));
        Assert.Contains("too few drafts", interval.Reading(), StringComparison.Ordinal);
    }
}
