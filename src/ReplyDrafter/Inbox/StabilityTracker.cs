namespace ReplyDrafter.Inbox;

/// <summary>
/// Tells when an inbox file is complete: a mail client may still be writing it, so a file is ready only once its size
/// and modification time have stayed the same for <c>StableFor</c>.
/// </summary>
internal sealed class StabilityTracker(TimeProvider time, TimeSpan stableFor)
{
    private readonly Dictionary<string, (long Length, DateTime Modified, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

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
            if (IsStable(path, info.Length, info.LastWriteTimeUtc, now))
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

        return (ready, settling);
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
