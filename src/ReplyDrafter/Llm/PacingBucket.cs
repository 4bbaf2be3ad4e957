namespace ReplyDrafter.Llm;

/// <summary>
/// One provider limit (requests or tokens) as the server reports it, paced so it holds for both ways servers count:
/// a bucket refilled continuously (OpenAI: <c>reset</c> = time until full) and fixed windows (Azure, LiteLLM:
/// <c>reset</c> = the window's end). Both promise the same two things, and only those are relied on: <c>remaining</c>
/// is there now, and by <c>reset</c> the whole limit is back. So what we may send is <c>remaining</c> minus what we sent
/// since, and at <c>reset</c> the rest of the limit comes back in one step. No rate is ever derived and kept: each
/// reading of a later request replaces the last, so whatever <c>remaining</c> shows is used.
/// Unknown (no pacing) until the first reading. Not thread-safe: <see cref="ProviderRateLimits"/> locks around it.
/// </summary>
/// <remarks>
/// The step is as fast as continuous refill over time: on a bucket, <c>reset</c> is exactly when the server's bucket
/// holds the limit minus what we sent since, which is what comes back, so nothing overflows. It is only burstier.
/// A reading describes the server when it received the request, so it is anchored at the request's send time and our
/// own count at that moment (<see cref="PacingTicket"/>), not at the answer's arrival (which may be much later).
/// Requests sent together reach the server in a slightly different order, and their trips differ: within one step the
/// readings are checked against each other (one counted after a later one is subtracted from that one's figure; one
/// still on its way is held back until its answer says which it was), and the step keeps the latest end its readings
/// show (the shortest trip).
/// System.Threading.RateLimiting's limiters have a fixed size and period and cannot be told what the server says is left.
/// </remarks>
internal sealed class PacingBucket
{
    /// <summary>The step waits a little past <c>reset</c>: our clock and the server's differ by the request's transit.</summary>
    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMilliseconds(10);

    private double _limit;
    private double _available;
    private double _comesBack;
    private double _taken;
    private DateTimeOffset _anchoredAt;
    private DateTimeOffset _resetAt;
    private DateTimeOffset _anchorEndsAt;
    private DateTimeOffset _anchorStepAt;
    private double _anchorRemaining;
    private double _heldBack;
    private readonly List<(DateTimeOffset SentAt, double Remaining, double Cost)> _stepReadings = [];
    private TimeSpan _longestReset;
    private TimeSpan _extraMargin;

    public bool Known => _limit > 0;

    /// <summary>
    /// A request as it left: when, <see cref="Taken"/> then (its own cost included), its cost, and the cost of those
    /// sent before it still unanswered.
    /// </summary>
    public readonly record struct Sent(DateTimeOffset At, double TakenAtSend, double Cost, double EarlierInFlight);

    /// <summary>What has been counted out so far (estimates for tokens); a request keeps its value to anchor its answer.</summary>
    public double Taken => _taken;

    /// <summary>What the latest reading gives back per second at its reset (for <c>status</c> and tests); 0 while unknown.</summary>
    public double PerSecond { get; private set; }

    public double Available => _available;

    /// <summary>How long until <paramref name="cost"/> is available; zero when it is now.</summary>
    public TimeSpan WaitFor(double cost, DateTimeOffset now)
    {
        if (!Known)
        {
            return TimeSpan.Zero;
        }

        StepIfDue(now);
        if (_available >= Math.Min(cost, _limit))
        {
            return TimeSpan.Zero;
        }

        var wait = _resetAt - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
    }

    public void Take(double cost)
    {
        _taken += cost;
        if (Known)
        {
            _available -= Math.Min(cost, _limit);
        }
    }

    /// <summary>
    /// Learns from the answer to the request <paramref name="sent"/>. The reading of the latest request sent is the one
    /// held; an answer to an older request says less, and only corrects it when the server counted the two in the other
    /// order.
    /// </summary>
    public void Observe(RateLimitReading reading, Sent sent, DateTimeOffset now)
    {
        var reset = reading.Reset ?? AssumedReset;
        var endsAt = sent.At + reset;

        // Readings for the step not yet taken: a window's end, as far as the trips to the server blur it (on a bucket
        // only readings the server counted within a trip's time of each other).
        bool sameStep = Known && now < _anchorStepAt && (endsAt - _anchorEndsAt).Duration() <= Transit;
        if (Known && sent.At < _anchoredAt)
        {
            if (now < _anchorStepAt)
            {
                Settle(sent.Cost, countedAfter: sameStep && reading.Remaining < _anchorRemaining);
            }

            if (sameStep)
            {
                Remember(sent.At, reading.Remaining, sent.Cost);
            }

            return;
        }

        double limit = reading.Limit > 0 ? reading.Limit : Math.Max(_limit, reading.Remaining);
        if (limit <= 0)
        {
            return;
        }

        // A request's trip to the server makes its reset look earlier on our clock by as much as the trip took. Of the
        // readings for a step not yet taken, the latest end is the nearest to the truth (the shortest trip): a later
        // reading never brings the step forward. On a bucket a later reading's end is never earlier anyway.
        bool pending = Known && now < _anchorStepAt && endsAt < _anchorEndsAt && _anchorEndsAt - endsAt <= _longestReset / 10;
        _limit = limit;
        _anchoredAt = sent.At;
        _anchorEndsAt = pending ? _anchorEndsAt : endsAt;
        _longestReset = reset > _longestReset ? reset : _longestReset;
        if (!sameStep)
        {
            _stepReadings.Clear();
        }

        // Requests reach the server in an order a little different from the one they left in, so this figure may
        // still count as left some sent before it: those of this step already answered and counted after it (less
        // left), and any still on their way. The latter are held back until their answers say which they were.
        double countedLater = 0;
        foreach (var earlier in _stepReadings)
        {
            countedLater += earlier.SentAt < sent.At && earlier.Remaining < reading.Remaining ? earlier.Cost : 0;
        }

        _heldBack = sent.EarlierInFlight;
        _available = reading.Remaining - Math.Max(0, _taken - sent.TakenAtSend) - countedLater - _heldBack;
        _anchorRemaining = reading.Remaining;
        // Without the limit (Azure's remaining alone) the most ever seen left stands for it, and all of it comes back.
        double givenBack = reading.Limit > 0 ? limit - reading.Remaining : limit;
        _comesBack = givenBack + countedLater + _heldBack;
        Remember(sent.At, reading.Remaining, sent.Cost);
        _resetAt = pending ? _anchorStepAt : endsAt + Margin(reset);
        _anchorStepAt = _resetAt;
        // The reading's own figure: what is held back for requests still on their way is not the server's rate.
        PerSecond = givenBack > 0 && reset > TimeSpan.Zero ? givenBack / reset.TotalSeconds : PerSecond;
        StepIfDue(now);
    }

    /// <summary>
    /// The answer to a request sent before the reading held: counted after it, it stays gone (held back already, or
    /// subtracted now); counted before it (or in another step), what was held back for it is there again.
    /// </summary>
    private void Settle(double cost, bool countedAfter)
    {
        double held = Math.Min(cost, _heldBack);
        _heldBack -= held;
        double change = countedAfter ? -(cost - held) : held;
        _available += change;
        _comesBack -= change;
    }

    /// <summary>What the step's readings said, to find those the server counted in another order than they left in.</summary>
    private void Remember(DateTimeOffset sentAt, double remaining, double cost)
    {
        // A step rarely holds more readings than this; past it the oldest say the least.
        if (_stepReadings.Count == 256)
        {
            _stepReadings.RemoveAt(0);
        }

        _stepReadings.Add((sentAt, remaining, cost));
    }

    /// <summary>After a 429: nothing is left until <paramref name="until"/> (the server's wait, or the reading's reset).</summary>
    public void Empty(DateTimeOffset until)
    {
        if (Known)
        {
            _available = Math.Min(_available, 0);
            _comesBack = _limit - _available;
            if (until > _resetAt)
            {
                _resetAt = until;
            }
        }
    }

    /// <summary>
    /// A 429 came although the step had given credit back: the server's reset came later on our clock than the margin
    /// allowed (a slow request on its way there), so the margin doubles, up to a tenth of the period.
    /// </summary>
    public void StepWasEarly()
    {
        var doubled = _extraMargin < MinimumMargin ? MinimumMargin : _extraMargin * 2;
        var most = _longestReset / 10;
        _extraMargin = doubled < most ? doubled : most;
    }

    /// <summary>Forgets every reading: the headers turned out not to mean what they say.</summary>
    public void Forget()
    {
        _limit = 0;
        _available = 0;
        _comesBack = 0;
        _longestReset = TimeSpan.Zero;
        PerSecond = 0;
    }

    /// <summary>
    /// Azure sends <c>remaining</c> without <c>reset</c> on some deployments; it documents evaluating its limits over
    /// 1 or 10 seconds, so the shorter is assumed (a 429's retry-after corrects it).
    /// </summary>
    private static TimeSpan AssumedReset => TimeSpan.FromSeconds(1);

    /// <summary>How far apart two readings of the same moment on the server may lie on our clock.</summary>
    private TimeSpan Transit => MinimumMargin + _extraMargin;

    private TimeSpan Margin(TimeSpan reset)
    {
        var share = reset / 100;
        return _extraMargin + (share < MinimumMargin ? MinimumMargin : share > TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : share);
    }

    /// <summary>
    /// At reset the rest of the limit is back. When no newer reading came by then (answers lost or slow), the whole
    /// limit is assumed back once per longest reset seen (a bucket's time to refill from empty, a window's length), so
    /// pacing goes on at the limit's own rate instead of stalling; the next reading corrects it.
    /// </summary>
    private void StepIfDue(DateTimeOffset now)
    {
        while (now >= _resetAt)
        {
            _available = Math.Min(_limit, _available + _comesBack);
            _comesBack = _limit - _available;
            var period = _longestReset > MinimumMargin ? _longestReset : MinimumMargin;
            _resetAt = _comesBack > 0 ? _resetAt + period + Margin(period) : now + period + Margin(period);
        }
    }
}
