using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.Llm;
using ReplyDrafter.Tests.Processing;
using ReplyDrafter.Spending;

namespace ReplyDrafter.Tests.Usage;

/// <summary><c>Llm:DailyCallLimit</c> and <c>Llm:DailyTokenLimit</c>: the real pipeline with the metered client over the fake LLM, on a fake clock.</summary>
public sealed class SpendLimitTests : IDisposable
{
    // Local time is UTC+2: 23:00 local is 21:00 UTC, and local midnight comes two hours before UTC's.
    private static readonly TimeZoneInfo s_zone = TimeZoneInfo.CreateCustomTimeZone("Test+2", TimeSpan.FromHours(2), "Test+2", "Test+2");

    private readonly ListLogger<MeteredLlmClient> _log = new();
    private readonly LlmOptions _options = new();
    private readonly PipelineHarness _pipeline;

    public SpendLimitTests()
    {
        _pipeline = new PipelineHarness(h => new MeteredLlmClient(
            h.Llm, new Lazy<ReplyDrafter.Ledger.VaultLedger>(() => h.Ledger), Options.Create(_options), h.Time, _log));
        _pipeline.Time.SetLocalTimeZone(s_zone);
        _pipeline.Time.SetUtcNow(new DateTimeOffset(2026, 1, 5, 21, 0, 0, TimeSpan.Zero));
    }

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task RunInbox_DailyCallLimitReached_ItemsWaitThenContinueAfterLocalMidnight()
    {
        _options.DailyCallLimit = 2; // one thread's note and draft
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("a@example.com", "Budget for Q3"));
        var before = await _pipeline.RunInboxAsync();
        _pipeline.WriteToInbox("b.eml", BatchRunnerTests.Eml("b@example.com", "Team offsite"));

        var first = await _pipeline.RunInboxAsync();
        var second = await _pipeline.RunInboxAsync();

        Assert.Equal((1, 0, 0), (before.Done, before.Failed, before.Waiting));
        Assert.Equal((0, 0, 1), (first.Done, first.Failed, first.Waiting));
        Assert.Contains("ReplyDrafter:Llm:DailyCallLimit", first.WaitingReason, StringComparison.Ordinal);
        Assert.Contains("2026-01-05", first.WaitingReason, StringComparison.Ordinal);
        Assert.Equal((0, 0, 1), (second.Done, second.Failed, second.Waiting));
        Assert.Equal(2, _pipeline.Llm.Requests.Count);
        Assert.Single(_pipeline.Vault.Files("Inbox"), f => !f.StartsWith("Inbox/_", StringComparison.Ordinal));
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);

        // 22:30 UTC is 00:30 on the 6th locally: a new day for the limit although UTC is still on the 5th.
        _pipeline.Time.Advance(TimeSpan.FromMinutes(90));
        var nextDay = await _pipeline.RunInboxAsync();

        Assert.Equal((1, 0, 0), (nextDay.Done, nextDay.Failed, nextDay.Waiting));
        Assert.Equal(4, _pipeline.Llm.Requests.Count);
        Assert.Equal(2, _pipeline.Ledger.LlmUsage(new DateOnly(2026, 1, 6)).Calls);
        Assert.Equal(4, _pipeline.Ledger.LlmUsage().Calls);
    }

    [Fact]
    public async Task RunInbox_DailyTokenLimitReached_ItemsWaitWithTheKeyInTheReason()
    {
        _options.DailyTokenLimit = 30; // the fake answers each call with 10 + 5 tokens: one thread's note and draft
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("a@example.com", "Budget for Q3"));
        var before = await _pipeline.RunInboxAsync();
        _pipeline.WriteToInbox("b.eml", BatchRunnerTests.Eml("b@example.com", "Team offsite"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, before.Done);
        Assert.Equal((0, 0, 1), (outcome.Done, outcome.Failed, outcome.Waiting));
        Assert.Contains("ReplyDrafter:Llm:DailyTokenLimit", outcome.WaitingReason, StringComparison.Ordinal);
        Assert.Equal(2, _pipeline.Llm.Requests.Count);
    }

    [Fact]
    public async Task RunInbox_NoLimits_EveryCallRecordedWithItsUsage()
    {
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("a@example.com", "Budget for Q3"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        var today = _pipeline.Ledger.LlmUsage(new DateOnly(2026, 1, 5));
        Assert.Equal(new LlmUsageTotals(2, 20, 0, 10), today);
        Assert.Equal(LlmUsageTotals.None, _pipeline.Ledger.LlmUsage(new DateOnly(2026, 1, 4)));
    }

    [Theory]
    [InlineData(null, null, 100, 100_000, false)]
    [InlineData(100, null, 99, 100_000, false)]
    [InlineData(100, null, 100, 0, true)]
    [InlineData(null, 1000L, 1, 999, false)]
    [InlineData(null, 1000L, 1, 1000, true)]
    public void Reached_AgainstTodaysTotals_OnlyAtOrPastALimit(int? calls, long? tokens, long usedCalls, long usedTokens, bool reached)
    {
        var options = new LlmOptions { DailyCallLimit = calls, DailyTokenLimit = tokens };

        var reason = SpendLimits.Reached(options, new LlmUsageTotals(usedCalls, usedTokens, 0, 0), new DateOnly(2026, 1, 5));

        Assert.Equal(reached, reason is not null);
    }
}
