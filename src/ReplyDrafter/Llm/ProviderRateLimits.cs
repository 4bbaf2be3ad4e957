using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>
/// What every caller shares about the provider's limits: requests and tokens paced from the <c>x-ratelimit-*</c>
/// headers (<see cref="PacingBucket"/>), a pause for everyone when any caller gets a 429 with <c>retry-after</c>, and
/// the adaptive concurrency limit for servers that send no headers, or headers that their own 429s contradict. All
/// time comes from <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ProviderRateLimits : IDisposable
{
    /// <summary>429s with headers that say there was room, before the headers are no longer believed.</summary>
    private const int ContradictionsToIgnore = 3;

    /// <summary>
    /// How long a scout goes alone before the next one follows: a hung first call must cost only its own thread, and a
    /// slow one still lets no more than one request through per this time until something answers.
    /// </summary>
    internal static readonly TimeSpan ScoutPatience = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ProviderRateLimits> _logger;
    private readonly PacingBucket _requests = new();
    private readonly PacingBucket _tokens = new();
    private readonly TaskCompletionSource _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _readingChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _nextScoutAt = DateTimeOffset.MinValue;
    private bool _headersIgnored;
    private int _contradictions;

    /// <summary>Requests sent and not yet answered (at most <c>MaxConcurrency</c>).</summary>
    private readonly List<PacingTicket> _travelling = [];

    public ProviderRateLimits(IOptions<LlmOptions> options, TimeProvider time, ILogger<ProviderRateLimits> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _logger = logger;
        Concurrency = new AdaptiveConcurrency(options.Value.MaxConcurrency);
    }

    public AdaptiveConcurrency Concurrency { get; }

    /// <summary>Requests per second the latest reading gives back at its reset; 0 while unknown.</summary>
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

    /// <summary>
    /// Waits until a request of about <paramref name="estimatedTokens"/> fits both limits, then counts it. The ticket
    /// says when and after how much it went, to anchor what its answer reports (<see cref="Observe(HttpResponseMessage, long, PacingTicket)"/>).
    /// </summary>
    public async Task<PacingTicket> PaceAsync(double estimatedTokens, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            TimeSpan scouting = TimeSpan.Zero;
            lock (_lock)
            {
                // Until the first answer says what the limits are, one request goes at a time, the next after
                // ScoutPatience: a cold start must not burst into 429s, and one hung scout must not hold everyone.
                if (!_firstAnswer.Task.IsCompleted)
                {
                    var now = _time.GetUtcNow();
                    if (now >= _nextScoutAt)
                    {
                        _nextScoutAt = now + ScoutPatience;
                    }
                    else
                    {
                        scouting = _nextScoutAt - now;
                    }
                }
            }

            if (scouting > TimeSpan.Zero)
            {
                await WaitAsync(_firstAnswer.Task, scouting, cancellationToken);
                continue;
            }

            // An answer's reading may show room before the wait is over (a bucket refilled sooner than the step).
            Task changed;
            lock (_lock)
            {
                changed = _readingChanged.Task;
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
                        return new PacingTicket(now, _requests.Taken, _tokens.Taken, estimatedTokens);
                    }
                }
            }

            await WaitAsync(changed, wait, cancellationToken);
        }
    }

    /// <summary>Until <paramref name="signal"/> or <paramref name="wait"/>, whichever comes first; the timer does not outlive it.</summary>
    private async Task WaitAsync(Task signal, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(signal, Task.Delay(wait, _time, timer.Token));
        await timer.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Learns from a response whose request is not known (as if it was sent just now).</summary>
    public void Observe(HttpResponseMessage response, long sequence)
    {
        PacingTicket ticket;
        lock (_lock)
        {
            ticket = new PacingTicket(_time.GetUtcNow(), _requests.Taken, _tokens.Taken, 0);
        }

        Observe(response, sequence, ticket);
    }

    /// <summary>Learns from one response: its headers, and for a 429 the wait it asks of everyone.</summary>
    public void Observe(HttpResponseMessage response, long sequence, PacingTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(response);
        var requests = RateLimitHeaders.Requests(response.Headers);
        var tokens = RateLimitHeaders.Tokens(response.Headers);
        bool rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests;
        TimeSpan? retryAfter = null;
        bool contradicted = false;
        bool nowIgnored = false;
        _firstAnswer.TrySetResult();
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (rateLimited && (requests is not null || tokens is not null) && !_headersIgnored)
            {
                // Told off while the answer itself says there was room for this request: the headers do not mean what
                // they say (a proxy passing on another limit's figures, a fixed "all left").
                contradicted = (requests is null || requests.Value.Remaining >= 1) &&
                               (tokens is null || tokens.Value.Remaining >= Math.Max(1, ticket.EstimatedTokens));
                if (contradicted && ++_contradictions >= ContradictionsToIgnore)
                {
                    _headersIgnored = true;
                    nowIgnored = true;
                    _requests.Forget();
                    _tokens.Forget();
                }
            }

            if (rateLimited && !contradicted && !_headersIgnored)
            {
                // Our own count let this request go: the step back to the full limit came too early on our clock.
                if (requests is { Remaining: < 1 } && _requests.Available >= 0)
                {
                    _requests.StepWasEarly();
                }

                if (tokens is { } spent && spent.Remaining < ticket.EstimatedTokens && _tokens.Available >= 0)
                {
                    _tokens.StepWasEarly();
                }
            }

            if (!_headersIgnored && !contradicted && (requests is not null || tokens is not null))
            {
                // Requests sent before this one and still on their way may reach the server after it.
                double earlierRequests = 0;
                double earlierTokens = 0;
                foreach (var other in _travelling)
                {
                    if (other.RequestsTaken < ticket.RequestsTaken)
                    {
                        earlierRequests += 1;
                        earlierTokens += other.EstimatedTokens;
                    }
                }

                if (requests is { } r)
                {
                    _requests.Observe(r, new PacingBucket.Sent(ticket.SentAt, ticket.RequestsTaken, 1, earlierRequests), now);
                }

                if (tokens is { } t)
                {
                    _tokens.Observe(t, new PacingBucket.Sent(ticket.SentAt, ticket.TokensTaken, ticket.EstimatedTokens, earlierTokens), now);
                }

                _readingChanged.TrySetResult();
                _readingChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (rateLimited)
            {
                retryAfter = RateLimitHeaders.RetryAfter(response.Headers, now);
                var until = now + (retryAfter ?? TimeSpan.Zero);
                _requests.Empty(until);
                _tokens.Empty(until);
                if (retryAfter is not null && until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
            }
        }

        if (nowIgnored)
        {
            LlmLog.RateLimitHeadersIgnored(_logger, ContradictionsToIgnore);
        }

        if (!rateLimited)
        {
            if (response.IsSuccessStatusCode)
            {
                Concurrency.OnSuccess();
            }

            return;
        }

        if ((requests is null && tokens is null) || contradicted || IgnoringHeaders)
        {
            Concurrency.OnRateLimited(sequence);
        }

        LlmLog.RateLimited(_logger, (long)(retryAfter ?? TimeSpan.Zero).TotalMilliseconds, Concurrency.Limit);
    }

    /// <summary>True once the headers were found to contradict the server's own 429s: only the concurrency limit paces.</summary>
    public bool IgnoringHeaders
    {
        get
        {
            lock (_lock)
            {
                return _headersIgnored;
            }
        }
    }

    /// <summary>
    /// Requests sent whose answer has not been learnt from yet. A simulation on a fake clock moves time only while this
    /// is zero, so a request's real trip over the network takes no simulated time.
    /// </summary>
    public int OnTheWire
    {
        get
        {
            lock (_lock)
            {
                return _travelling.Count;
            }
        }
    }

    public void Departed(PacingTicket ticket)
    {
        lock (_lock)
        {
            _travelling.Add(ticket);
        }
    }

    public void Settled(PacingTicket ticket)
    {
        lock (_lock)
        {
            _travelling.Remove(ticket);
        }
    }

    /// <summary>A request got no answer at all: nothing learnt, but nobody should keep waiting for the first answer.</summary>
    public void NoAnswer() => _firstAnswer.TrySetResult();

    public void Dispose() => Concurrency.Dispose();
}

/// <summary>When a request went out and how much had been counted out by then (its own cost included).</summary>
internal readonly record struct PacingTicket(DateTimeOffset SentAt, double RequestsTaken, double TokensTaken, double EstimatedTokens);
