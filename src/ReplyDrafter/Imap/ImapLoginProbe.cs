using MailKit.Net.Imap;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Imap;

/// <summary>The login check <c>init</c> runs before it saves.</summary>
internal static class ImapLoginProbe
{
    /// <summary>
    /// Connect and log in through the daemon's own <see cref="ImapConnector"/> (same certificate validation and pin, same
    /// login messages); <see cref="ImapProbe.Works"/> when it did, else why not.
    /// </summary>
    public static Task<ImapProbe> ProbeAsync(ImapOptions options, CancellationToken cancellationToken) =>
        ProbeAsync(options, ImapProbeTimeouts.Default, cancellationToken);

    internal static async Task<ImapProbe> ProbeAsync(ImapOptions options, ImapProbeTimeouts timeouts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeouts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeouts.Greeting);
        bool greeted = false;
        try
        {
            using var connector = new ImapConnector(Options.Create(options));
            using var client = await connector.ConnectAsync(
                () =>
                {
                    // From here the server is there: a refused login comes after its auth_failure_delay (or a growing penalty).
                    greeted = true;
                    timeout.CancelAfter(timeouts.Login);
                },
                timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return ImapProbe.Works;
        }
        catch (ImapLoginException e)
        {
            return new ImapProbe(e.Message, CertificateRefused: e.Failure == ImapLoginFailure.Certificate);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ImapProbe(greeted
                ? $"{options.Host}:{options.EffectivePort} greeted but gave no answer to the login of '{options.Username}' within {timeouts.Login.TotalSeconds:0} s."
                : $"{options.Host}:{options.EffectivePort} did not greet within {timeouts.Greeting.TotalSeconds:0} s (is it an IMAP server, and is {ImapOptions.Section}:Security right?).");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ImapProtocolException or ImapCommandException or NotSupportedException or TimeoutException)
        {
            return new ImapProbe($"cannot reach {options.Host}:{options.EffectivePort} ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }
}

/// <summary>
/// How long <c>init</c> waits: for the connection and greeting (a server that says nothing), then for the answer to the
/// login, which servers delay on purpose after a wrong password (Dovecot 2 s, growing to 15 s on repeats).
/// </summary>
internal sealed record ImapProbeTimeouts(TimeSpan Greeting, TimeSpan Login)
{
    public static readonly ImapProbeTimeouts Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
}

/// <summary>What <c>init</c>'s IMAP check found: <see cref="Problem"/> is null when the login worked.</summary>
/// <param name="CertificateRefused">The server's certificate is not trusted (nor the pinned one): a pin may fix it.</param>
internal sealed record ImapProbe(string? Problem, bool CertificateRefused = false)
{
    public static readonly ImapProbe Works = new(Problem: null);
}
