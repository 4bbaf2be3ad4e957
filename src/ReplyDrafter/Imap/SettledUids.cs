namespace ReplyDrafter.Imap;

/// <summary>
/// The highest UID of a folder below which everything handed over is settled: messages of one batch settle in any
/// order, and the saved state must never pass one that is still open, or a crash would lose it. It also knows which
/// messages are out with the consumer, so a catch-up (after a new arrival or a reconnect) hands none of them over twice.
/// </summary>
/// <param name="last">The saved UID the catch-up started from.</param>
internal sealed class SettledUids(uint last)
{
    private readonly Lock _gate = new();
    private readonly Lock _saveGate = new();
    private long _saved = last; // what the state already says
    private readonly SortedSet<uint> _open = [];
    private readonly HashSet<uint> _out = [];
    private uint _handed = last;

    public uint Last { get; private set; } = last;

    /// <summary>The highest UID handed over or skipped so far.</summary>
    public uint Handed
    {
        get
        {
            lock (_gate)
            {
                return _handed;
            }
        }
    }

    /// <summary>True while some message handed over is not settled yet (out with the consumer, or given back).</summary>
    public bool HasOpen
    {
        get
        {
            lock (_gate)
            {
                return _open.Count > 0;
            }
        }
    }

    /// <summary>Handed over, not settled yet (in ascending UID order).</summary>
    public void Open(uint uid)
    {
        lock (_gate)
        {
            _open.Add(uid);
            _out.Add(uid);
            _handed = Math.Max(_handed, uid);
        }
    }

    /// <summary>
    /// Whether a catch-up should hand <paramref name="uid"/> over: new, or given back unsettled (its batch failed); not
    /// while it is out, nor once settled.
    /// </summary>
    public bool IsDue(uint uid)
    {
        lock (_gate)
        {
            return uid > _handed || (_open.Contains(uid) && !_out.Contains(uid));
        }
    }

    /// <summary>The consumer gave <paramref name="uid"/> back unsettled (its batch failed): it stays open, to be handed over again.</summary>
    public void GiveBack(uint uid)
    {
        lock (_gate)
        {
            _out.Remove(uid);
        }
    }

    /// <summary>Everything up to <paramref name="uid"/> was looked at (read now, or outside the window); true when <see cref="Last"/> moved.</summary>
    public bool LookedUpTo(uint uid)
    {
        lock (_gate)
        {
            _handed = Math.Max(_handed, uid);
            uint mark = _open.Count == 0 ? _handed : _open.Min - 1;
            if (mark <= Last)
            {
                return false;
            }

            Last = mark;
            return true;
        }
    }

    /// <summary>Settles <paramref name="uid"/> (also one never opened: skipped without handing over); true when <see cref="Last"/> moved.</summary>
    public bool Settle(uint uid)
    {
        lock (_gate)
        {
            _open.Remove(uid);
            _out.Remove(uid);
            _handed = Math.Max(_handed, uid);

            // UIDs between two handed ones do not exist in the folder, or lie outside the window: nothing to wait for.
            uint mark = _open.Count == 0 ? _handed : _open.Min - 1;
            if (mark <= Last)
            {
                return false;
            }

            Last = mark;
            return true;
        }
    }

    /// <summary>
    /// Writes <see cref="Last"/> through <paramref name="write"/> when it moved past what was written (or when
    /// <paramref name="force"/>), one writer at a time: batches settle on their own threads, and a writer that read an
    /// older mark must never overwrite a newer one.
    /// </summary>
    public void Save(Action<uint> write, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_saveGate)
        {
            uint last;
            lock (_gate)
            {
                last = Last;
            }

            if (force || last > _saved)
            {
                write(last);
                _saved = last;
            }
        }
    }
}
