using MailKit.Net.Imap;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Imap;

/// <summary>The login check <c>init</c> runs before it saves.</summary>
internal static class ImapLoginProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connect and log in through the daemon's own <see cref="ImapConnector"/> (same certificate validation and pin, same
    /// login messages); <see cref="ImapProbe.Works"/> when it did, else why not.
    /// </summary>
    public static async Task<ImapProbe> ProbeAsync(ImapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            using var connector = new ImapConnector(Options.Create(options));
            using var client = await connector.ConnectAsync(timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return ImapProbe.Works;
        }
        catch (ImapLoginException e)
        {
            return new ImapProbe(e.Message, CertificateRefused: e.Failure == ImapLoginFailure.Certificate);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ImapProbe($"{options.Host}:{options.EffectivePort} did not answer within {s_timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ImapProtocolException or ImapCommandException or NotSupportedException)
        {
            return new ImapProbe($"cannot reach {options.Host}:{options.EffectivePort} ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }
}

/// <summary>What <c>init</c>'s IMAP check found: <see cref="Problem"/> is null when the login worked.</summary>
/// <param name="CertificateRefused">The server's certificate is not trusted (nor the pinned one): a pin may fix it.</param>
internal sealed record ImapProbe(string? Problem, bool CertificateRefused = false)
{
    public static readonly ImapProbe Works = new(Problem: null);
}
