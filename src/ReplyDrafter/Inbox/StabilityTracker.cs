using System.Collections.Concurrent;

namespace ReplyDrafter.Inbox;

/// <summary>
/// Tells when an inbox file is complete. Where close and rename events exist (<see cref="InotifyWatcher"/>), a file is
/// ready when its writer closed it or it was renamed in, and one seen being written waits for that event. Elsewhere
/// (and for a file no event was seen for) the fallback is the quiet period: ready once its size and modification time
/// have stayed the same for <c>StableFor</c>.
/// </summary>
/// <param name="time">The clock.</param>
/// <param name="stableFor">The quiet period.</param>
/// <param name="openWriterLimit">How long a file seen being written waits for its close event before the quiet period
/// decides after all (an event lost to a queue overflow must not keep a file out forever).</param>
internal sealed class StabilityTracker(TimeProvider time, TimeSpan stableFor, TimeSpan? openWriterLimit = null)
{
    private readonly Dictionary<string, (long Length, DateTime Modified, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _writing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _complete = new(StringComparer.Ordinal);

    /// <summary>Takes an event from the watcher (any thread).</summary>
    public void Observe(string path, InboxEvent kind)
    {
        switch (kind)
        {
            case InboxEvent.Complete:
                _writing.TryRemove(path, out _);
                _complete[path] = 0;
                break;
            case InboxEvent.Writing:
                _complete.TryRemove(path, out _);
                _writing[path] = time.GetUtcNow();
                break;
            default:
                // Events were lost: nothing is known about writers any more; the quiet period decides.
                _writing.Clear();
                break;
        }
    }

    /// <summary>Splits <paramref name="paths"/> into ready files and the count still settling.</summary>
    public (IReadOnlyList<string> Ready, int Settling) Check(IEnumerable<string> paths)
    {
        var now = time.GetUtcNow();
        var ready = new List<string>();
        var settling = 0;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            FileInfo info;
            try
            {
                info = new FileInfo(path);
                if (!info.Exists)
                {
                    continue;
                }
            }
            catch (IOException)
            {
                continue;
            }

            present.Add(path);
            if (IsReady(path, info.Length, info.LastWriteTimeUtc, now))
            {
                ready.Add(path);
            }
            else
            {
                settling++;
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        // Events for entries that are gone (temp files renamed away, items archived) are forgotten.
        foreach (var gone in _writing.Keys.Concat(_complete.Keys).Where(k => !present.Contains(k) && !File.Exists(k)).ToList())
        {
            _writing.TryRemove(gone, out _);
            _complete.TryRemove(gone, out _);
        }

        return (ready, settling);
    }

    private bool IsReady(string path, long length, DateTime modifiedUtc, DateTimeOffset now)
    {
        if (_complete.TryRemove(path, out _))
        {
            // Closed by its writer or renamed in: complete now, no waiting.
            _seen[path] = (length, modifiedUtc, now - stableFor);
            return true;
        }

        var stable = IsStable(path, length, modifiedUtc, now);
        if (_writing.TryGetValue(path, out var since))
        {
            // A writer still has it open: wait for its close event (bounded, in case the event was lost).
            return stable && openWriterLimit is { } limit && now - since >= limit;
        }

        return stable;
    }

    internal bool IsStable(string path, long length, DateTime modifiedUtc, DateTimeOffset now)
    {
        if (!_seen.TryGetValue(path, out var seen) || seen.Length != length || seen.Modified != modifiedUtc)
        {
            // A file last written long ago (there before start) needs no waiting.
            var since = now - new DateTimeOffset(modifiedUtc, TimeSpan.Zero) >= stableFor ? now - stableFor : now;
            _seen[path] = (length, modifiedUtc, since);
            return now - since >= stableFor;
        }

        return now - seen.Since >= stableFor;
    }
}
