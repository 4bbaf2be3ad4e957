namespace ReplyDrafter.Imap;

/// <summary>
/// The highest UID of a folder below which everything handed over is settled: messages of one batch settle in any
/// order, and the saved state must never pass one that is still open, or a crash would lose it.
/// </summary>
/// <param name="last">The saved UID the catch-up started from.</param>
internal sealed class SettledUids(uint last)
{
    private readonly Lock _gate = new();
    private readonly SortedSet<uint> _open = [];
    private uint _handed = last;

    public uint Last { get; private set; } = last;

    /// <summary>Handed over, not settled yet (in ascending UID order).</summary>
    public void Open(uint uid)
    {
        lock (_gate)
        {
            _open.Add(uid);
            _handed = Math.Max(_handed, uid);
        }
    }

    /// <summary>Settles <paramref name="uid"/> (also one never opened: skipped without handing over); true when <see cref="Last"/> moved.</summary>
    public bool Settle(uint uid)
    {
        lock (_gate)
        {
            _open.Remove(uid);
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
}
