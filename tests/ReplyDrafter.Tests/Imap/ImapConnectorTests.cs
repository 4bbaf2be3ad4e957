using MailKit.Security;
using Microsoft.Extensions.Options;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

[Collection(DovecotGroup.Name)]
public sealed class ImapConnectorTests(DovecotServer server)
{
    [Fact]
    public async Task ConnectAsync_SelfSignedCertificateWithMatchingPin_ConnectsOverTls()
    {
        var user = server.NewUser();
        var options = TlsOptions(user, string.Join(':', server.CertificateSha256.Chunk(2).Select(c => new string(c))));

        using var client = await new ImapConnector(Options.Create(options)).ConnectAsync(default);

        Assert.True(client.IsSecure);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task ConnectAsync_SelfSignedCertificateWithWrongPin_IsRefused()
    {
        var user = server.NewUser();
        var options = TlsOptions(user, new string('0', 64));

        var error = await Assert.ThrowsAsync<ImapLoginException>(() => new ImapConnector(Options.Create(options)).ConnectAsync(default));

        Assert.Equal(ImapLoginFailure.Certificate, error.Failure);
        Assert.Contains("TrustedCertificateSha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_SelfSignedCertificateWithoutPin_IsRefused()
    {
        var user = server.NewUser();
        var options = TlsOptions(user, null);

        var error = await Assert.ThrowsAsync<ImapLoginException>(() => new ImapConnector(Options.Create(options)).ConnectAsync(default));

        Assert.Equal(ImapLoginFailure.Certificate, error.Failure);
    }

    [Fact]
    public async Task ConnectAsync_PasswordFromFile_LogsIn()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        string file = TestScratch.NewPath(".secret");
        Security.TestSecrets.Write(file, user.Password + "\n");
        options.Password = null;
        options.PasswordFile = file;
        try
        {
            using var client = await new ImapConnector(Options.Create(options)).ConnectAsync(default);
            Assert.True(client.IsAuthenticated);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("imap.gmail.com", "Gmail needs an app password")]
    [InlineData("outlook.office365.com", null)]
    [InlineData("imap-mail.outlook.com", "Outlook.com needs an app password")]
    [InlineData("mail.example.org", null)]
    public void LoginRefused_ByHost_NamesServerUserAndAppPasswordWhereNeeded(string host, string? hint)
    {
        var options = new ImapOptions { Host = host, Username = "ann@example.org", Password = "secret-value" };

        string line = ImapConnector.LoginRefused(options, "[AUTHENTICATIONFAILED] Invalid credentials (Failure)");

        Assert.Contains($"{host}:993", line, StringComparison.Ordinal);
        Assert.Contains("'ann@example.org'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        if (hint is null)
        {
            Assert.DoesNotContain("app password", line, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(hint, line, StringComparison.Ordinal);
        }
    }

    private ImapOptions TlsOptions(DovecotUser user, string? pin)
    {
        var options = server.Options(user);
        options.Port = server.TlsPort;
        options.Security = SecureSocketOptions.SslOnConnect;
        options.TrustedCertificateSha256 = pin;
        return options;
    }
}
