using System.Net.Sockets;
using System.Text;
using ReplyDrafter.Hosting;

namespace ReplyDrafter.Tests.Hosting;

/// <summary>sd_notify over a real Unix datagram socket bound in a temp folder, as systemd's NOTIFY_SOCKET would be.</summary>
public sealed class ServiceReadinessTests : IDisposable
{
    private readonly TempVault _folder = new();
    private readonly Socket _systemd;

    public ServiceReadinessTests()
    {
        SocketPath = _folder.Path("notify");
        _systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _systemd.Bind(new UnixDomainSocketEndPoint(SocketPath));
    }

    private string SocketPath { get; }

    /// <summary>The next datagram; waits on the socket itself (bounded, so a missing message fails instead of hanging).</summary>
    internal static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var count = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    [Fact]
    public async Task MarkReady_First_SendsReadyWithStatus()
    {
        using var readiness = new ServiceReadiness(new SystemdNotifySocket(SocketPath), watchdogInterval: null);

        readiness.MarkReady("Watching /vault/Inbox");

        Assert.Equal("READY=1\nSTATUS=Watching /vault/Inbox", await ReceiveAsync(_systemd));
        Assert.True(readiness.IsReady);
    }

    [Fact]
    public async Task MarkReady_Again_OnlyStatus()
    {
        using var readiness = new ServiceReadiness(new SystemdNotifySocket(SocketPath), watchdogInterval: null);
        readiness.MarkReady("one");
        await ReceiveAsync(_systemd);

        readiness.MarkReady("two\nlines");

        Assert.Equal("STATUS=two lines", await ReceiveAsync(_systemd));
    }

    [Fact]
    public async Task Ping_WatchdogRequested_SendsWatchdog()
    {
        using var readiness = new ServiceReadiness(new SystemdNotifySocket(SocketPath), TimeSpan.FromMinutes(10));

        readiness.Ping();

        Assert.Equal("WATCHDOG=1", await ReceiveAsync(_systemd));
    }

    [Fact]
    public async Task Ping_NoWatchdog_SendsNothing()
    {
        using var readiness = new ServiceReadiness(new SystemdNotifySocket(SocketPath), watchdogInterval: null);

        readiness.Ping();
        readiness.SetStatus("after the ping");

        Assert.Equal("STATUS=after the ping", await ReceiveAsync(_systemd));
    }

    [Fact]
    public void Send_NoSocket_DoesNothing()
    {
        var socket = new SystemdNotifySocket(null);

        Assert.False(socket.IsEnabled);
        Assert.False(socket.Send("READY=1"));
    }

    [Fact]
    public void Send_NobodyListening_FalseNotThrow()
    {
        var socket = new SystemdNotifySocket(_folder.Path("nobody"));

        Assert.False(socket.Send("READY=1"));
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "self", 30.0)]
    [InlineData("30000000", "1", null)]
    [InlineData("", null, null)]
    [InlineData("-5", null, null)]
    public void WatchdogFrom_Environment_IntervalForThisProcessOnly(string usec, string? pid, double? seconds)
    {
        var interval = ServiceReadiness.WatchdogFrom(usec, pid == "self" ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : pid);

        Assert.Equal(seconds, interval?.TotalSeconds);
    }

    public void Dispose()
    {
        _systemd.Dispose();
        _folder.Dispose();
    }
}
