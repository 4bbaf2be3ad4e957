namespace ReplyDrafter.Llm;

/// <summary>
/// A token bucket kept in step with what the provider reports: size = the limit, content = the lower of our own count
/// and the server's <c>remaining</c>, refill rate = what was used divided by the time until it is full again (the lowest such figure seen).
/// Unknown (no pacing) until the first reading. Not thread-safe: <see cref="ProviderRateLimits"/> locks around it.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's TokenBucketRateLimiter has a fixed size and rate and cannot be told how much the
/// server says is left, which is the whole point here.
/// </remarks>
internal sealed class PacingBucket
{
    private double _capacity;
    private double _available;
    private double _perSecond;
    private DateTimeOffset _updated;

    public bool Known => _capacity > 0;

    /// <summary>Refill rate per second as last derived; 0 while unknown.</summary>
    public double PerSecond => _perSecond;

    public double Available => _available;

    /// <summary>How long until <paramref name="cost"/> is available; zero when it is now.</summary>
    public TimeSpan WaitFor(double cost, DateTimeOffset now)
    {
        if (!Known)
        {
            return TimeSpan.Zero;
        }

        Refill(now);
        cost = Math.Min(cost, _capacity);
        if (_available >= cost)
        {
            return TimeSpan.Zero;
        }

        // No rate yet (only full readings so far): look again soon rather than guess a period.
        double seconds = _perSecond > 0 ? (cost - _available) / _perSecond : 0.1;
        return TimeSpan.FromSeconds(Math.Max(seconds, 0.001));
    }

    public void Take(double cost)
    {
        if (Known)
        {
            _available -= Math.Min(cost, _capacity);
        }
    }

    public void Observe(RateLimitReading reading, DateTimeOffset now)
    {
        if (Known)
        {
            Refill(now);
        }

        // Remaining is rounded down, so each reading only bounds the rate from above; the lowest bound seen for this
        // limit is the closest (a new limit starts over).
        double used = reading.Limit - reading.Remaining;
        if (used > 0 && reading.Reset > TimeSpan.Zero)
        {
            double bound = used / reading.Reset.TotalSeconds;
            _perSecond = _perSecond > 0 && reading.Limit == _capacity ? Math.Min(_perSecond, bound) : bound;
        }

        _available = Known ? Math.Min(_available, reading.Remaining) : reading.Remaining;
        _capacity = reading.Limit;
        _updated = now;
    }

    /// <summary>After a 429: nothing is left until the server's wait is over.</summary>
    public void Empty(DateTimeOffset now)
    {
        if (Known)
        {
            _available = 0;
            _updated = now;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        double seconds = (now - _updated).TotalSeconds;
        if (seconds > 0)
        {
            _available = Math.Min(_capacity, _available + (seconds * _perSecond));
            _updated = now;
        }
    }
}
