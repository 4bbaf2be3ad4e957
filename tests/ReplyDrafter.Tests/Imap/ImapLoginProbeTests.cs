using System.Net;
using System.Net.Sockets;
using MailKit.Security;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary><c>init</c>'s login check: a refused login is reported as refused however long the server takes to say so; silence is a timeout.</summary>
public sealed class ImapLoginProbeTests
{
    [Fact]
    public async Task ProbeAsync_WrongPasswordRefusedAfterAnAuthDelayLongerThanTheGreetingTimeout_SaysTheLoginWasRefused()
    {
        // Dovecot's default: a wrong password is answered only after auth_failure_delay.
        var slow = new DovecotServer { AuthFailureDelay = TimeSpan.FromSeconds(2) };
        await slow.InitializeAsync();
        try
        {
            var user = slow.NewUser();
            var options = slow.Options(user);
            options.Password = "not-the-password";

            var probe = await ImapLoginProbe.ProbeAsync(options, new ImapProbeTimeouts(Greeting: TimeSpan.FromSeconds(1.5), Login: TimeSpan.FromSeconds(30)), CancellationToken.None);

            Assert.NotNull(probe.Problem);
            Assert.Contains($"as '{user.Name}' was refused", probe.Problem, StringComparison.Ordinal);
            Assert.DoesNotContain("within", probe.Problem, StringComparison.Ordinal);
        }
        finally
        {
            await slow.DisposeAsync();
        }
    }

    [Fact]
    public async Task ProbeAsync_ServerAcceptsButNeverGreets_SaysItDidNotGreetInTime()
    {
        // Connections complete in the backlog; nothing is ever written back.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = new ImapOptions
        {
            Host = "127.0.0.1",
            Port = ((IPEndPoint)silent.LocalEndpoint).Port,
            Security = SecureSocketOptions.None,
            Username = "ada",
            Password = "secret",
        };

        var probe = await ImapLoginProbe.ProbeAsync(options, new ImapProbeTimeouts(Greeting: TimeSpan.FromMilliseconds(300), Login: TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.NotNull(probe.Problem);
        Assert.Contains($"127.0.0.1:{options.Port} did not greet within", probe.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", probe.Problem, StringComparison.Ordinal);
    }
}
