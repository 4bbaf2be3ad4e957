using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReplyDrafter.Tests.Imap;

/// <summary>
/// A minimal IMAP server on a free loopback port that logs anyone in, then misbehaves: it floods untagged
/// <c>* OK junk</c> lines in answer to SELECT/EXAMINE, or answers a body FETCH with a literal far larger than the
/// RFC822.SIZE it announces. It writes until the client drops the connection, or up to <see cref="Cap"/> bytes so that a
/// client that never stops reading fails the test instead of hanging it.
/// </summary>
internal sealed class HostileImapServer : IAsyncDisposable
{
    public const long Cap = 64L * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(); // not disposed: DisposeAsync may run twice
    private readonly bool _bigLiteral;
    private readonly Task _accepting;
    private long _largestAnswer;

    public HostileImapServer(bool bigLiteral)
    {
        _bigLiteral = bigLiteral;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The most bytes one hostile answer got out before the client hung up.</summary>
    public long LargestAnswer => Interlocked.Read(ref _largestAnswer);

    /// <summary>Stops accepting and waits until every connection has ended (callable twice).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                connections.Add(ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        try
        {
            await WriteAsync(stream, "* OK [CAPABILITY IMAP4rev1] hostile server ready\r\n");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var parts = line.Split(' ', 3);
                string tag = parts[0];
                string command = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
                string rest = parts.Length > 2 ? parts[2] : "";
                string? answer = command switch
                {
                    "CAPABILITY" => $"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n",
                    "LOGIN" => $"{tag} OK [CAPABILITY IMAP4rev1] logged in\r\n",
                    "LIST" when rest.EndsWith("\"\"", StringComparison.Ordinal) => $"* LIST (\\Noselect) \"/\" \"\"\r\n{tag} OK done\r\n",
                    "LIST" => $"* LIST () \"/\" INBOX\r\n{tag} OK done\r\n",
                    "LOGOUT" => $"* BYE\r\n{tag} OK bye\r\n",
                    "EXAMINE" or "SELECT" when !_bigLiteral => null,
                    "EXAMINE" or "SELECT" => $"* 1 EXISTS\r\n* OK [UIDVALIDITY 1] ok\r\n* OK [UIDNEXT 2] ok\r\n{tag} OK [READ-ONLY] done\r\n",
                    "UID" when _bigLiteral && rest.Contains("BODY.PEEK[]", StringComparison.Ordinal) => null,
                    _ => $"{tag} OK done\r\n",
                };
                if (answer is not null)
                {
                    await WriteAsync(stream, answer);
                    continue;
                }

                await MisbehaveAsync(stream);
                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up, which is what the tests want.
        }
    }

    private async Task MisbehaveAsync(NetworkStream stream)
    {
        string head = _bigLiteral ? $"* 1 FETCH (UID 1 RFC822.SIZE 100 BODY[] {{{Cap}}}\r\n" : "";
        byte[] chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(_bigLiteral ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" : "* OK junk\r\n", 4096)));
        await WriteAsync(stream, head);
        long sent = 0;
        try
        {
            while (sent < Cap)
            {
                await stream.WriteAsync(chunk, _stop.Token);
                sent += chunk.Length;
            }
        }
        finally
        {
            InterlockedMax(sent);
        }
    }

    private void InterlockedMax(long sent)
    {
        long seen;
        while (sent > (seen = Interlocked.Read(ref _largestAnswer)) && Interlocked.CompareExchange(ref _largestAnswer, sent, seen) != seen)
        {
        }
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();
}
