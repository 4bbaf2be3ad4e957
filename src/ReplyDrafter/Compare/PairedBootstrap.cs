namespace ReplyDrafter.Compare;

/// <summary>The mean of paired differences with its bootstrap confidence interval.</summary>
/// <param name="Low">The lower end of the interval; null with fewer than two pairs.</param>
internal sealed record DifferenceInterval(double Mean, double? Low, double? High, double Confidence, int Resamples, int Seed)
{
    /// <summary>True when the whole interval lies on one side of zero: a difference the sample cannot explain as noise.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>What the interval says, in one sentence.</summary>
    public string Reading()
    {
        var head = "Difference (candidate - original): mean " + Signed(Mean);
        if (Low is not { } low || High is not { } high)
        {
            return head + " (too few drafts for an interval).";
        }

        var verdict = low > 0 ? "the candidate comes closer to what you sent, beyond what chance among these drafts explains"
            : high < 0 ? "the original drafts come closer to what you sent, beyond what chance among these drafts explains"
            : "no clear difference: the interval includes 0";
        return head + FormattableString.Invariant(
            $", {Confidence * 100:0}% interval [{Signed(low)}, {Signed(high)}] (paired bootstrap, {Resamples} resamples, seed {Seed}): {verdict}.");
    }

    public static string Signed(double value) => value.ToString("+0.0000;-0.0000;0.0000", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A paired percentile bootstrap of the mean difference. Pairs, because both drafts answer the same thread and are
/// measured against the same sent text: resampling the per-draft differences keeps that pairing, so an easy thread
/// helps both sides alike instead of widening the interval. Seeded, so the same drafts always give the same interval.
/// </summary>
internal static class PairedBootstrap
{
    public const int DefaultResamples = 10_000;
    public const int DefaultSeed = 22;
    public const double DefaultConfidence = 0.95;

    public static DifferenceInterval Estimate(
        IReadOnlyList<double> differences, int resamples = DefaultResamples, int seed = DefaultSeed, double confidence = DefaultConfidence)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        int n = differences.Count;
        if (n == 0)
        {
            return new DifferenceInterval(0, null, null, confidence, resamples, seed);
        }

        double mean = Math.Round(differences.Average(), 4);
        if (n < 2)
        {
            return new DifferenceInterval(mean, null, null, confidence, resamples, seed);
        }

        // System.Random with a seed keeps its sequence across .NET versions (the compatible algorithm), unlike Random.Shared.
        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += differences[random.Next(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        double tail = (1 - confidence) / 2;
        return new DifferenceInterval(mean, Math.Round(Quantile(means, tail), 4), Math.Round(Quantile(means, 1 - tail), 4), confidence, resamples, seed);
    }

    /// <summary>The nearest-rank quantile of sorted values.</summary>
    private static double Quantile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
