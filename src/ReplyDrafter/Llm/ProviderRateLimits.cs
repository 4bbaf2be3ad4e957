using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>
/// What every caller shares about the provider's limits: requests and tokens paced from the <c>x-ratelimit-*</c>
/// headers, a pause for everyone when any caller gets a 429 with <c>retry-after</c>, and the adaptive concurrency limit
/// for servers that send no headers. All time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ProviderRateLimits : IDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderRateLimits> _logger;
    private readonly PacingBucket _requests = new();
    private readonly PacingBucket _tokens = new();
    private readonly TaskCompletionSource _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private bool _scoutSent;

    public ProviderRateLimits(IOptions<LlmOptions> options, TimeProvider time, ILogger<ProviderRateLimits> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        Concurrency = new AdaptiveConcurrency(options.Value.MaxConcurrency);
    }

    public AdaptiveConcurrency Concurrency { get; }

    /// <summary>Requests per second as the headers imply; 0 while unknown.</summary>
    public double RequestsPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _requests.PerSecond;
            }
        }
    }

    public DateTimeOffset PausedUntil
    {
        get
        {
            lock (_lock)
            {
                return _pausedUntil;
            }
        }
    }

    /// <summary>Waits until a request of about <paramref name="estimatedTokens"/> fits both limits, then counts it.</summary>
    public async Task PaceAsync(double estimatedTokens, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task? scouting = null;
            lock (_lock)
            {
                // Until the first answer says what the limits are, one request goes alone: a cold start must not burst into 429s.
                if (!_firstAnswer.Task.IsCompleted)
                {
                    if (_scoutSent)
                    {
                        scouting = _firstAnswer.Task;
                    }

                    _scoutSent = true;
                }
            }

            if (scouting is not null)
            {
                await scouting.WaitAsync(cancellationToken);
                continue;
            }

            lock (_lock)
            {
                var now = _time.GetUtcNow();
                wait = _pausedUntil - now;
                if (wait <= TimeSpan.Zero)
                {
                    var forRequests = _requests.WaitFor(1, now);
                    var forTokens = _tokens.WaitFor(estimatedTokens, now);
                    wait = forRequests > forTokens ? forRequests : forTokens;
                    if (wait <= TimeSpan.Zero)
                    {
                        _requests.Take(1);
                        _tokens.Take(estimatedTokens);
                        return;
                    }
                }
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Learns from one response: its headers, and for a 429 the wait it asks of everyone.</summary>
    public void Observe(HttpResponseMessage response, long sequence)
    {
        ArgumentNullException.ThrowIfNull(response);
        var requests = RateLimitHeaders.Requests(response.Headers);
        var tokens = RateLimitHeaders.Tokens(response.Headers);
        bool rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests;
        TimeSpan? retryAfter = null;
        _firstAnswer.TrySetResult();
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (requests is { } r)
            {
                _requests.Observe(r, now);
            }

            if (tokens is { } t)
            {
                _tokens.Observe(t, now);
            }

            if (rateLimited)
            {
                _requests.Empty(now);
                _tokens.Empty(now);
                retryAfter = RateLimitHeaders.RetryAfter(response.Headers, now);
                if (retryAfter is { } after && now + after > _pausedUntil)
                {
                    _pausedUntil = now + after;
                }
            }
        }

        if (!rateLimited)
        {
            if (response.IsSuccessStatusCode)
            {
                Concurrency.OnSuccess();
            }

            return;
        }

        if (requests is null && tokens is null)
        {
            Concurrency.OnRateLimited(sequence);
        }

        LlmLog.RateLimited(_logger, (long)(retryAfter ?? TimeSpan.Zero).TotalMilliseconds, Concurrency.Limit);
    }

    /// <summary>A request got no answer at all: nothing learnt, but nobody should keep waiting for the first answer.</summary>
    public void NoAnswer() => _firstAnswer.TrySetResult();

    public void Dispose() => Concurrency.Dispose();
}
