using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace ReplyDrafter.Hosting;

/// <summary>
/// What the service manager is told: <c>READY=1</c> once the daemon really works (vault locked, LLM probed), a
/// <c>WATCHDOG=1</c> ping from the worker loop when systemd asked for one (<c>WATCHDOG_USEC</c>), <c>STATUS=</c> text
/// for <c>systemctl status</c>, and <c>STOPPING=1</c>. Does nothing outside systemd.
/// </summary>
internal sealed class ServiceReadiness : IDisposable
{
    private readonly SystemdNotifySocket _socket;
    private readonly CancellationTokenRegistration _stopping;
    private int _ready;

    public ServiceReadiness(SystemdNotifySocket socket, TimeSpan? watchdogInterval, IHostApplicationLifetime? lifetime = null)
    {
        _socket = socket;
        WatchdogInterval = watchdogInterval;
        _stopping = lifetime?.ApplicationStopping.Register(() => _socket.Send("STOPPING=1")) ?? default;
    }

    /// <summary>How often systemd wants a ping (null: no watchdog).</summary>
    public TimeSpan? WatchdogInterval { get; }

    public bool IsReady => Volatile.Read(ref _ready) == 1;

    /// <summary>From the process environment, as systemd sets it.</summary>
    public static ServiceReadiness FromEnvironment(IHostApplicationLifetime? lifetime) =>
        new(new SystemdNotifySocket(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")),
            WatchdogFrom(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID")),
            lifetime);

    /// <summary>Once: the daemon is working. Later calls only update the status text.</summary>
    public void MarkReady(string status)
    {
        var first = Interlocked.Exchange(ref _ready, 1) == 0;
        _socket.Send(first ? $"READY=1\nSTATUS={OneLine(status)}" : $"STATUS={OneLine(status)}");
    }

    public void SetStatus(string status) => _socket.Send("STATUS=" + OneLine(status));

    /// <summary>The worker loop is alive. Only sent when systemd asked for a watchdog.</summary>
    public void Ping()
    {
        if (WatchdogInterval is not null)
        {
            _socket.Send("WATCHDOG=1");
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>
    /// <c>WATCHDOG_USEC</c> is meant for the process named by <c>WATCHDOG_PID</c> when that is set (a child must not ping
    /// for its parent).
    /// </summary>
    internal static TimeSpan? WatchdogFrom(string? usec, string? pid)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var micro) || micro <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(micro);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

/// <summary>Progress of a batch as watchdog pings: a long catch-up is alive as long as threads keep finishing.</summary>
internal sealed class WatchdogProgress(ServiceReadiness readiness) : IProgress<double>
{
    public void Report(double value) => readiness.Ping();
}
