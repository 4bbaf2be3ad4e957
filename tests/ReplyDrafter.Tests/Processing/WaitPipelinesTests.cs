using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Processing;

namespace ReplyDrafter.Tests.Processing;

public sealed class WaitPipelinesTests
{
    [Fact]
    public void LlmRetryDelay_Retries_FiveSecondsDoublingUpToTheCap()
    {
        var cap = TimeSpan.FromSeconds(30);

        var waits = Enumerable.Range(0, 5).Select(retries => WaitPipelines.LlmRetryDelay(retries, paused: false, cap)).ToList();

        Assert.Equal([5, 10, 20, 30, 30], waits.Select(w => w.TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), WaitPipelines.LlmRetryDelay(0, paused: true, cap));
        Assert.Equal(TimeSpan.FromSeconds(1), WaitPipelines.LlmRetryDelay(3, paused: false, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ReconnectDelay_Failures_DoublingCappedAndJitteredToAtLeastHalf()
    {
        var first = TimeSpan.FromSeconds(2);
        var most = TimeSpan.FromSeconds(10);

        for (int failures = 0; failures < 6; failures++)
        {
            var full = Math.Min(most.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, failures));
            var delay = WaitPipelines.ReconnectDelay(failures, first, most).TotalMilliseconds;
            Assert.InRange(delay, full / 2, full);
        }
    }

    [Fact]
    public async Task Create_NextWaitGivesWaits_RetriesOnTheGivenClockUntilItGivesNone()
    {
        var time = new FakeTimeProvider();
        var waits = new List<TimeSpan>();
        var pipeline = WaitPipelines.Create<int>(
            time,
            (outcome, retries) => outcome.Result < 3 ? TimeSpan.FromSeconds(retries + 1) : null,
            (_, wait) => waits.Add(wait));
        int attempts = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = pipeline.ExecuteAsync(
            _ =>
            {
                if (++attempts == 2)
                {
                    second.SetResult();
                }

                return ValueTask.FromResult(attempts);
            },
            CancellationToken.None).AsTask();
        Assert.Equal(1, attempts);
        time.Advance(TimeSpan.FromSeconds(1));
        await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(3, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], waits);
    }

    [Fact]
    public async Task Create_ExceptionNotRetried_IsThrownAsItIs()
    {
        var pipeline = WaitPipelines.Create<int>(new FakeTimeProvider(), (outcome, _) => outcome.Exception is TimeoutException ? TimeSpan.Zero : null);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => pipeline.ExecuteAsync<int>(_ => throw new InvalidOperationException("refused"), CancellationToken.None).AsTask());
    }
}
