namespace ReplyDrafter.Llm;

/// <summary>
/// How many LLM calls may be in flight: starts at <c>MaxConcurrency</c> (the ceiling), halves on a 429 that carries no
/// rate-limit headers (multiplicative decrease, once per burst), and grows by one after a full window of successes
/// (additive increase). Slots are taken out of circulation as they come back, never snatched from running calls.
/// </summary>
/// <remarks>System.Threading.RateLimiting's ConcurrencyLimiter has a fixed permit limit, so it cannot do the AIMD part.</remarks>
internal sealed class AdaptiveConcurrency : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Lock _lock = new();
    private readonly int _max;
    private int _limit;
    private int _withheld;
    private int _successes;
    private long _sent;
    private long _decreasedAt = -1;

    public AdaptiveConcurrency(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
        _limit = max;
        _slots = new SemaphoreSlim(max, max);
    }

    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Lease(this);
    }

    /// <summary>Numbers a request as it goes out, so one burst of 429s halves the limit once, not once per request.</summary>
    public long Sending() => Interlocked.Increment(ref _sent);

    public void OnRateLimited(long sequence)
    {
        lock (_lock)
        {
            if (sequence <= _decreasedAt)
            {
                return;
            }

            _decreasedAt = Interlocked.Read(ref _sent);
            _limit = Math.Max(1, _limit / 2);
            _successes = 0;

            // Idle slots leave circulation now; busy ones as their calls finish.
            while (_withheld < _max - _limit && _slots.Wait(0))
            {
                _withheld++;
            }
        }
    }

    public void OnSuccess()
    {
        bool release = false;
        lock (_lock)
        {
            if (_limit >= _max || ++_successes < _limit)
            {
                return;
            }

            _successes = 0;
            _limit++;
            if (_withheld > _max - _limit)
            {
                _withheld--;
                release = true;
            }
        }

        if (release)
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private void Return()
    {
        lock (_lock)
        {
            if (_withheld < _max - _limit)
            {
                _withheld++;
                return;
            }
        }

        _slots.Release();
    }

    private sealed class Lease(AdaptiveConcurrency owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Return();
            }
        }
    }
}
