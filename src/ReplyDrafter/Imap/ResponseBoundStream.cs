namespace ReplyDrafter.Imap;

/// <summary>
/// The socket stream under MailKit (and under TLS): counts the bytes the server sends since the client last wrote, and
/// fails the read past the bound. A server that floods untagged responses or sends a literal far larger than the
/// RFC822.SIZE it announced is dropped here instead of being read into memory for as long as it likes.
/// </summary>
/// <remarks>
/// It also fails a read that has waited <paramref name="answerTimeout"/> for the server, except while the connection
/// idles (<see cref="BeQuiet"/>): MailKit's asynchronous reads have no timeout of their own, so a server that stopped
/// answering (stopped, not closed; or a NAT that forgot the connection) would otherwise hold the watch forever.
/// </remarks>
internal sealed class ResponseBoundStream(Stream inner, long maxBytes, TimeProvider time, TimeSpan answerTimeout) : Stream
{
    private readonly Lock _gate = new();
    private long _received;
    private bool _quiet;
    private CancellationTokenSource? _reading;

    /// <summary>
    /// The server may say nothing (IDLE) until <paramref name="until"/> is cancelled (the IDLE is ended) or the scope is
    /// disposed; from then on the read waiting for its answer has <c>answerTimeout</c> again.
    /// </summary>
    public IDisposable BeQuiet(CancellationToken until)
    {
        lock (_gate)
        {
            _quiet = true;
            _reading?.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        return new QuietScope(this, until.Register(static s => ((ResponseBoundStream)s!).Speak(), this));
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override bool CanTimeout => inner.CanTimeout;

    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }

    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var read = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        lock (_gate)
        {
            _reading = deadline;
            if (!_quiet)
            {
                deadline.CancelAfter(answerTimeout);
            }
        }

        try
        {
            return Count(await inner.ReadAsync(buffer, read.Token));
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException(
                FormattableString.Invariant($"the server has not answered for {answerTimeout.TotalSeconds:0} s; the connection was dropped"),
                new TimeoutException(e.Message, e));
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _received = 0;
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _received = 0;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Speak()
    {
        lock (_gate)
        {
            _quiet = false;
            _reading?.CancelAfter(answerTimeout);
        }
    }

    private int Count(int read)
    {
        _received += read;
        return _received <= maxBytes
            ? read
            : throw new IOException(
                $"the server sent more than {maxBytes} bytes in answer to one command ({ImapOptions.Section}:MaxResponseBytes); the connection was dropped");
    }

    private sealed class QuietScope(ResponseBoundStream stream, CancellationTokenRegistration registration) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            stream.Speak();
        }
    }
}
