namespace ReplyDrafter.Llm;

/// <summary>Token counts priced with <see cref="LlmPricing"/>: for <c>status</c> and the benchmarks. Pure.</summary>
public static class LlmCost
{
    /// <summary>The estimated cost, or null when no input or output price is configured.</summary>
    /// <param name="inputTokens">All input tokens, cached ones included (as providers report <c>prompt_tokens</c>).</param>
    /// <param name="cachedInputTokens">The part of the input the provider served from its prompt cache.</param>
    public static decimal? Estimate(LlmPricing pricing, long inputTokens, long cachedInputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(pricing);
        if (pricing.InputPerMillion is null && pricing.OutputPerMillion is null)
        {
            return null;
        }

        long cached = Math.Clamp(cachedInputTokens, 0, Math.Max(0, inputTokens));
        decimal input = (decimal)(pricing.InputPerMillion ?? 0);
        decimal cachedPrice = (decimal)(pricing.CachedInputPerMillion ?? pricing.InputPerMillion ?? 0);
        decimal output = (decimal)(pricing.OutputPerMillion ?? 0);
        return (((inputTokens - cached) * input) + (cached * cachedPrice) + (outputTokens * output)) / 1_000_000m;
    }

    /// <summary>The share of input tokens served from the provider's cache (0 when there was no input).</summary>
    public static double CachedShare(long inputTokens, long cachedInputTokens) =>
        inputTokens <= 0 ? 0 : Math.Clamp((double)cachedInputTokens / inputTokens, 0, 1);
}
