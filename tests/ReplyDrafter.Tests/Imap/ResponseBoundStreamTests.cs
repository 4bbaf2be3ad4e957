using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>The answer deadline under MailKit, on a real loopback socket whose far end says nothing.</summary>
public sealed class ResponseBoundStreamTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly FakeTimeProvider _time = new();
    private readonly Socket _far;
    private readonly ResponseBoundStream _stream;

    public ResponseBoundStreamTests()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var near = new Socket(SocketType.Stream, ProtocolType.Tcp);
        near.Connect((IPEndPoint)listener.LocalEndpoint);
        _far = listener.AcceptSocket();
        _stream = new ResponseBoundStream(new NetworkStream(near, ownsSocket: true), 1024, _time, Timeout);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _far.Dispose();
    }

    [Fact]
    public async Task ReadAsync_NoAnswerWithinTheTimeout_FailsWithAReadableReason()
    {
        var read = _stream.ReadAsync(new byte[16]).AsTask();
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(read.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<IOException>(() => read);

        Assert.Equal("the server has not answered for 120 s; the connection was dropped", error.Message);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task ReadAsync_AnswerBeforeTheTimeout_ReturnsIt()
    {
        var read = _stream.ReadAsync(new byte[16]).AsTask();
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        await _far.SendAsync("* OK\r\n"u8.ToArray());

        Assert.Equal(6, await read);
    }

    [Fact]
    public async Task ReadAsync_QuietWhileIdling_NoDeadlineUntilTheIdleEndsThenTheAnswerIsDue()
    {
        using var idle = new CancellationTokenSource();
        using var quiet = _stream.BeQuiet(idle.Token);
        var read = _stream.ReadAsync(new byte[16]).AsTask();
        _time.Advance(TimeSpan.FromHours(3));
        Assert.False(read.IsCompleted);

        await idle.CancelAsync(); // DONE
        _time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<IOException>(() => read);
    }

    [Fact]
    public async Task ReadAsync_CancelledByTheCaller_CancelledNotTimedOut()
    {
        using var stop = new CancellationTokenSource();
        var read = _stream.ReadAsync(new byte[16], stop.Token).AsTask();

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }
}
