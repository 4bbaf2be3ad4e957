namespace ReplyDrafter.Processing;

/// <summary>
/// What several batches running side by side must not do at the same time: ingest (it threads new messages against
/// the ledger, so two batches holding one message would both see it as new), and work on one thread (two runs would
/// both ask the model for the same draft, and a reply ingested meanwhile would find no draft to be compared with).
/// It also bounds the model calls of all batches together by <c>Llm:MaxConcurrency</c>.
/// </summary>
internal sealed class ThreadGate(int maxConcurrency) : IDisposable
{
    private readonly Lock _ingest = new();
    private readonly SemaphoreSlim _calls = new(Math.Max(1, maxConcurrency));
    private readonly Dictionary<string, Entry> _threads = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="ingest"/> alone: it is synchronous and quick (no model call).</summary>
    public T Ingest<T>(Func<T> ingest)
    {
        lock (_ingest)
        {
            return ingest();
        }
    }

    /// <summary>Runs <paramref name="work"/> once no other batch works on <paramref name="threadId"/> and a call slot is free.</summary>
    public async Task<T> RunThreadAsync<T>(string threadId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var entry = Enter(threadId);
        try
        {
            // The thread first, then the slot: a thread waiting for another batch's run of it holds no slot.
            await entry.Semaphore.WaitAsync(cancellationToken);
            try
            {
                await _calls.WaitAsync(cancellationToken);
                try
                {
                    return await work();
                }
                finally
                {
                    _calls.Release();
                }
            }
            finally
            {
                entry.Semaphore.Release();
            }
        }
        finally
        {
            Leave(threadId, entry);
        }
    }

    public void Dispose() => _calls.Dispose();

    private Entry Enter(string threadId)
    {
        lock (_threads)
        {
            if (!_threads.TryGetValue(threadId, out var entry))
            {
                entry = new Entry();
                _threads[threadId] = entry;
            }

            entry.Users++;
            return entry;
        }
    }

    private void Leave(string threadId, Entry entry)
    {
        lock (_threads)
        {
            if (--entry.Users == 0)
            {
                _threads.Remove(threadId);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
