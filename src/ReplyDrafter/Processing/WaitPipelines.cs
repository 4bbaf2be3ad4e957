using Polly;
using Polly.Retry;

namespace ReplyDrafter.Processing;

/// <summary>
/// Waiting on an unreachable model or server, the same way everywhere: one Polly retry pipeline per loop (the inbox
/// folder, IMAP batches, the IMAP connection), on the host's <see cref="TimeProvider"/>, with the delay rules below as
/// the only place the waits are computed.
/// </summary>
internal static class WaitPipelines
{
    /// <summary>The first wait for the model; doubling from here, capped by the caller (Inbox:RescanInterval).</summary>
    public static readonly TimeSpan FirstLlmRetry = TimeSpan.FromSeconds(5);

    /// <summary>A provider that paused us (quota, billing) is not asked again sooner than this.</summary>
    public static readonly TimeSpan PausedRetry = TimeSpan.FromMinutes(5);

    /// <summary>The wait before asking the model again after <paramref name="retries"/> earlier waits.</summary>
    public static TimeSpan LlmRetryDelay(int retries, bool paused, TimeSpan cap)
    {
        if (paused)
        {
            return PausedRetry;
        }

        var first = FirstLlmRetry < cap ? FirstLlmRetry : cap;
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, Math.Min(retries, 30)), cap.Ticks));
    }

    /// <summary>
    /// The wait before reconnecting after <paramref name="failures"/> earlier failures: <paramref name="first"/> doubling
    /// up to <paramref name="most"/>, jittered to [50 %, 100 %] so many clients do not come back in step after a restart.
    /// </summary>
    public static TimeSpan ReconnectDelay(int failures, TimeSpan first, TimeSpan most)
    {
        double capped = Math.Min(most.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 20)));
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    /// <summary>
    /// Retries for as long as <paramref name="nextWait"/> gives a wait for the outcome (a result or an exception) of the
    /// attempt numbered from 0, waiting that long; null returns the outcome (or rethrows) as it is.
    /// <paramref name="onWait"/> is the one log line before each wait.
    /// </summary>
    public static ResiliencePipeline<T> Create<T>(
        TimeProvider time, Func<Outcome<T>, int, TimeSpan?> nextWait, Action<Outcome<T>, TimeSpan>? onWait = null) =>
        new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(nextWait(args.Outcome, args.AttemptNumber) is not null),
                DelayGenerator = args => ValueTask.FromResult(nextWait(args.Outcome, args.AttemptNumber)),
                OnRetry = args =>
                {
                    onWait?.Invoke(args.Outcome, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
