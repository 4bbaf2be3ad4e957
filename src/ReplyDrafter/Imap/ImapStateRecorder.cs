using Microsoft.Extensions.Options;
using ReplyDrafter.Telemetry;

namespace ReplyDrafter.Imap;

/// <summary>Copies every connection change to imap.db (for <c>status</c>) and to the telemetry gauge.</summary>
internal sealed class ImapStateRecorder(
    ImapConnectionState state,
    ImapStateStore store,
    IOptions<ImapOptions> options,
    TimeProvider time,
    ReplyDrafterTelemetry? telemetry = null) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _attached;

    /// <summary>Starts recording (once; later calls do nothing) and records the current state now.</summary>
    public void Attach()
    {
        lock (_gate)
        {
            if (_attached)
            {
                return;
            }

            _attached = true;
        }

        state.Changed += OnChanged;
        Record();
    }

    public void Dispose() => state.Changed -= OnChanged;

    private void OnChanged(ImapConnectionSnapshot snapshot) => Record();

    /// <summary>Writes the state as it is at write time, one writer at a time: the last write always holds the latest state.</summary>
    private void Record()
    {
        lock (_gate)
        {
            var current = state.Current;
            telemetry?.SetImapState(current.Status.ToString().ToLowerInvariant());
            try
            {
                store.SetConnection(options.Value.Account, current.Describe(time.GetUtcNow()), time.GetUtcNow());
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Only status reads this; a busy or read-only state file must not stop the source.
            }
        }
    }
}
