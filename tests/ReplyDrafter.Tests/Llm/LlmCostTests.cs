using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.Llm;

public sealed class LlmCostTests
{
    [Fact]
    public void Estimate_AllPrices_ChargesCachedInputAtItsOwnPrice()
    {
        var pricing = new LlmPricing { InputPerMillion = 2.5, OutputPerMillion = 10, CachedInputPerMillion = 1.25 };

        decimal? cost = LlmCost.Estimate(pricing, inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000);

        Assert.Equal(1.5m + 0.5m + 1m, cost);
    }

    [Fact]
    public void Estimate_NoCachedPrice_CachedTokensCostFullInputPrice()
    {
        var pricing = new LlmPricing { InputPerMillion = 2, OutputPerMillion = 8 };

        Assert.Equal(2m, LlmCost.Estimate(pricing, 1_000_000, 500_000, 0));
    }

    [Fact]
    public void Estimate_NoPrices_IsNull()
    {
        Assert.Null(LlmCost.Estimate(new LlmPricing(), 1000, 0, 1000));
    }

    [Theory]
    [InlineData(1000, 250, 0.25)]
    [InlineData(0, 0, 0)]
    [InlineData(100, 500, 1)]
    public void CachedShare_Counts_IsTheCachedPart(long input, long cached, double share)
    {
        Assert.Equal(share, LlmCost.CachedShare(input, cached), 6);
    }
}
