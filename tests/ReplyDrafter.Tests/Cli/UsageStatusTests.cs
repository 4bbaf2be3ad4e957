using System.Text.Json.Nodes;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Cli;

/// <summary><c>status</c>'s LLM-use section after a real <c>run --once</c> against the loopback server.</summary>
public sealed class UsageStatusTests
{
    private static async Task<DaemonHarness> ProcessedAsync()
    {
        var harness = await DaemonHarness.StartAsync();
        harness.Server.CachedTokens = 10;
        harness.Drop(MimeMessageBuilder.ToMe("a@example.com", "Budget for Q3"), "a.eml");
        var (code, _, error) = await harness.RunOnceAsync();
        Assert.True(code == 0, error);
        return harness;
    }

    [Fact]
    public async Task Status_Json_CallsTokensCachedShareAndCostTodayAndInTotal()
    {
        await using var harness = await ProcessedAsync();
        harness.Settings.Add("--ReplyDrafter:Llm:Pricing:InputPerMillion=1000");
        harness.Settings.Add("--ReplyDrafter:Llm:Pricing:OutputPerMillion=2000");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        var usage = JsonNode.Parse(output)!["llm_usage"]!;
        var today = usage["today"]!;
        Assert.Equal(2, (long)today["calls"]!); // the note and the draft
        Assert.Equal(20, (long)today["cached_input_tokens"]!);
        long input = (long)today["input_tokens"]!, outputTokens = (long)today["output_tokens"]!;
        Assert.True(input > 20, output);
        Assert.Equal(20.0 / input, (double)today["cached_share"]!, 6);
        Assert.Equal(((input * 1000m) + (outputTokens * 2000m)) / 1_000_000m, (decimal)today["estimated_cost"]!);
        Assert.Equal(2, (long)usage["total"]!["calls"]!);
        Assert.Null(usage["limit_reached"]);
    }

    [Fact]
    public async Task Status_Text_OneUsageLineAndTheDailyLimitWhenReached()
    {
        await using var harness = await ProcessedAsync();
        harness.Settings.Add("--ReplyDrafter:Llm:DailyCallLimit=2");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));

        Assert.True(code == 0, error);
        Assert.Contains("LLM use:    today 2 call(s), ", output, StringComparison.Ordinal);
        Assert.Contains("; in total 2 call(s), ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("about", output, StringComparison.Ordinal); // no prices, no cost
        Assert.Contains("The daily limit of 2 LLM calls (ReplyDrafter:Llm:DailyCallLimit) is reached", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_VaultThatNeverRan_ZeroUsageAndNoLedgerCreated()
    {
        await using var harness = await DaemonHarness.StartAsync();

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        Assert.Equal(0, (long)JsonNode.Parse(output)!["llm_usage"]!["total"]!["calls"]!);
        Assert.False(File.Exists(harness.Vault.Layout.LedgerPath));
    }
}
