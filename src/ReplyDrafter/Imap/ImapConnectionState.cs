using System.Globalization;

namespace ReplyDrafter.Imap;

internal enum ImapConnectionStatus
{
    NotStarted,
    Connecting,
    CatchingUp,
    Idle,
    Polling,
    Reconnecting,
    AuthFailed,
    Failed,
    Stopped,
}

/// <summary>One snapshot of what the IMAP source is doing, for <c>status</c>.</summary>
internal sealed record ImapConnectionSnapshot(ImapConnectionStatus Status, string? Reason, DateTimeOffset? RetryAt, DateTimeOffset Since)
{
    public string Describe(DateTimeOffset now) => Status switch
    {
        ImapConnectionStatus.NotStarted => "not started",
        ImapConnectionStatus.Connecting => "connecting",
        ImapConnectionStatus.CatchingUp => "connected, catching up",
        ImapConnectionStatus.Idle => "connected, idle (IDLE)",
        ImapConnectionStatus.Polling => "connected, polling",
        ImapConnectionStatus.Reconnecting => string.Create(
            CultureInfo.InvariantCulture,
            $"reconnecting in {Math.Max(0, (int)Math.Ceiling(((RetryAt ?? now) - now).TotalSeconds))}s") + (Reason is null ? "" : $" ({Reason})"),
        ImapConnectionStatus.AuthFailed => $"auth failed: {Reason}",
        ImapConnectionStatus.Failed => $"stopped: {Reason}",
        ImapConnectionStatus.Stopped => "stopped",
        _ => Status.ToString(),
    };
}

/// <summary>Shared, thread-safe connection state: the source writes it, <c>status</c> reads it, tests wait on it.</summary>
internal sealed class ImapConnectionState(TimeProvider time)
{
    private readonly Lock _gate = new();
    private ImapConnectionSnapshot _current = new(ImapConnectionStatus.NotStarted, null, null, time.GetUtcNow());

    /// <summary>Raised after every change, outside the lock, on the source's thread.</summary>
    public event Action<ImapConnectionSnapshot>? Changed;

    public ImapConnectionSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public string Describe() => Current.Describe(time.GetUtcNow());

    internal void Set(ImapConnectionStatus status, string? reason = null, DateTimeOffset? retryAt = null)
    {
        ImapConnectionSnapshot next;
        lock (_gate)
        {
            next = new ImapConnectionSnapshot(status, reason, retryAt, time.GetUtcNow());
            _current = next;
        }

        Changed?.Invoke(next);
    }
}
