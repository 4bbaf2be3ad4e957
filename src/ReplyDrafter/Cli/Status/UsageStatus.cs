using System.Globalization;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Spending;

namespace ReplyDrafter.Cli.Status;

/// <summary>Calls and tokens of one period, with the cached share of the input and, when prices are set, the cost.</summary>
internal sealed record UsagePeriod(long Calls, long InputTokens, long CachedInputTokens, long OutputTokens, double CachedShare, decimal? EstimatedCost)
{
    public static UsagePeriod From(LlmUsageTotals totals, LlmPricing pricing) => new(
        totals.Calls,
        totals.InputTokens,
        totals.CachedInputTokens,
        totals.OutputTokens,
        LlmCost.CachedShare(totals.InputTokens, totals.CachedInputTokens),
        LlmCost.Estimate(pricing, totals.InputTokens, totals.CachedInputTokens, totals.OutputTokens));

    /// <summary>"12 calls, 34,567 tokens in (41 % cached), 2,345 out, about 0.0123".</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Calls:N0} call(s), {InputTokens:N0} tokens in ({CachedShare:P0} cached), {OutputTokens:N0} out") +
        (EstimatedCost is { } cost ? string.Create(CultureInfo.InvariantCulture, $", about {cost:0.####}") : "");
}

/// <summary>The <c>status</c> section on LLM usage: today and in total, and whether a daily limit holds items back.</summary>
/// <param name="LimitReached">Why items wait for tomorrow (a daily limit is reached), or null.</param>
internal sealed record UsageStatus(UsagePeriod Today, UsagePeriod Total, string? LimitReached)
{
    public static UsageStatus None(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var empty = UsagePeriod.From(LlmUsageTotals.None, options.Pricing);
        return new UsageStatus(empty, empty, null);
    }

    public static UsageStatus Gather(Ledger.VaultLedger ledger, DateOnly today, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        var day = ledger.LlmUsage(today);
        return new UsageStatus(
            UsagePeriod.From(day, options.Pricing),
            UsagePeriod.From(ledger.LlmUsage(), options.Pricing),
            SpendLimits.Reached(options, day, today));
    }

    /// <summary>The line under "LLM use" in text and in the table.</summary>
    public string Describe() =>
        $"today {Today.Describe()}; in total {Total.Describe()}" + (LimitReached is { } limit ? $"\n{limit}" : "");
}
