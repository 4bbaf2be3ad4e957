using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Cli;
using ReplyDrafter.Imap;
using ReplyDrafter.Tests.Imap;
using ReplyDrafter.Tests.Resilience;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using Spectre.Console.Testing;

namespace ReplyDrafter.Tests.Cli;

/// <summary><c>init</c>'s IMAP questions and login check against the real Dovecot (plain port and its self-signed TLS port).</summary>
[Collection(DovecotDaemonGroup.Name)]
public sealed class InitImapTests(DovecotServer server) : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_program = ["/opt/replydrafter/replydrafter"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);
    private readonly TempVault _folder = new();
    private FakeLlmServer _llm = null!;

    private string UserFile => _folder.Path("config/replydrafter/settings.json");

    private string VaultRoot => _folder.Path("vault");

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _llm.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_ImapFlagsRightPassword_Exit0LoginWorksAndPrivateFileHoldsImapKeys()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.Port, "None"));

        Assert.True(code == 0, output);
        Assert.Contains($"IMAP login works: {user.Name} at 127.0.0.1:{server.Port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, output, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UserFile));
        }

        var imap = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        Assert.Equal(["Host", "Port", "Security", "Username", "Password"], imap.Select(p => p.Key));
        Assert.Equal("127.0.0.1", (string?)imap["Host"]);
        Assert.Equal(server.Port, (int)imap["Port"]!);
        Assert.Equal("None", (string?)imap["Security"]);
        Assert.Equal(user.Name, (string?)imap["Username"]);
        Assert.Equal(user.Password, (string?)imap["Password"]);
    }

    [Fact]
    public async Task RunAsync_ImapWrittenKeys_BindStrictlyToImapOptionsAndTheDaemonsConnectorLogsIn()
    {
        var user = server.NewUser();
        var pin = string.Join(':', server.CertificateSha256.Chunk(2).Select(c => new string(c)));
        Assert.Equal(0, (await RunAsync(Flags(user, server.TlsPort, "SslOnConnect") with { ImapCertificateSha256 = pin })).Code);

        // Unknown keys would throw here: every key init writes is one the daemon reads.
        var options = new ConfigurationBuilder().AddJsonFile(UserFile).Build()
            .GetSection(ImapOptions.Section).Get<ImapOptions>(b => b.ErrorOnUnknownConfiguration = true)!;

        Assert.Equal(server.TlsPort, options.EffectivePort);
        Assert.Equal(SecureSocketOptions.SslOnConnect, options.Security);
        Assert.Equal(pin, options.TrustedCertificateSha256);
        Assert.Empty(ImapOptionsValidator.Check(options));
        using var client = await new ImapConnector(Options.Create(options)).ConnectAsync(CancellationToken.None);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task RunAsync_ImapWrongPassword_Exit1LoginRefusedAndFileStillWritten()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.Port, "None") with { ImapPassword = "not-the-password" });

        Assert.Equal(1, code);
        Assert.Contains($"IMAP: IMAP login to 127.0.0.1:{server.Port} as '{user.Name}' was refused", output, StringComparison.Ordinal);
        Assert.DoesNotContain("IMAP login works", output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", output, StringComparison.Ordinal);
        Assert.Equal("not-the-password", (string?)JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!["Password"]);
    }

    [Fact]
    public async Task RunAsync_SelfSignedTlsNoPin_Exit1NamingThePinFlag()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.TlsPort, "SslOnConnect"));

        Assert.Equal(1, code);
        Assert.Contains("is not trusted", output, StringComparison.Ordinal);
        Assert.Contains("--imap-certificate-sha256", output, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!["TrustedCertificateSha256"]);
    }

    [Fact]
    public async Task RunAsync_SelfSignedTlsWrongPin_Exit1SaysItDoesNotMatch()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.TlsPort, "SslOnConnect") with { ImapCertificateSha256 = new string('a', 64) });

        Assert.Equal(1, code);
        Assert.Contains("does not match", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BadPin_Exit2NamingTheFlag()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.TlsPort, "SslOnConnect") with { ImapCertificateSha256 = "abc" });

        Assert.Equal(2, code);
        Assert.Contains("--imap-certificate-sha256", output, StringComparison.Ordinal);
        Assert.False(File.Exists(UserFile));
    }

    [Fact]
    public async Task RunAsync_InteractiveCertificateRefused_AsksForThePinRetriesAndSavesIt()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.TlsPort, "SslOnConnect"), interactive: true, script: console =>
            console.Input.PushTextWithEnter(server.CertificateSha256));

        Assert.True(code == 0, output);
        Assert.Contains("SHA-256 of the server's own certificate", output, StringComparison.Ordinal);
        Assert.Contains("IMAP login works", output, StringComparison.Ordinal);
        Assert.Equal(server.CertificateSha256, (string?)JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!["TrustedCertificateSha256"]);
    }

    [Fact]
    public async Task Status_FromTheWrittenFile_JsonShowsImapConfigured()
    {
        var user = server.NewUser();
        Assert.Equal(0, (await RunAsync(Flags(user, server.Port, "None"))).Code);

        // The per-user path is process-wide (IsolatedUserSettings); this file comes in as the same JSON layer instead.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ReplyDrafterCommandLine.InvokeAsync(
            ["status", "--json"],
            settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.Configuration.AddJsonFile(UserFile, optional: false);
                builder.AddReplyDrafter();
                return builder;
            },
            CliConsole.Writers(output, error));

        Assert.True(code == 0, error.ToString());
        var imap = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("imap");
        Assert.True(imap.GetProperty("configured").GetBoolean());
        Assert.Equal($"{user.Name}@127.0.0.1:{server.Port}", imap.GetProperty("account").GetString());
    }

    [Fact]
    public async Task RunAsync_ProviderAliasWithOverridingFlags_WritesTheProvidersFoldersAndSaysWhatItNeeds()
    {
        var user = server.NewUser();

        // --imap-provider gmail fills imap.gmail.com:993 TLS; the other flags point it at the test server instead.
        var (code, output) = await RunAsync(Flags(user, server.Port, "None") with { ImapProvider = "gmail" });

        Assert.True(code == 0, output);
        Assert.Contains("gmail: Gmail needs an app password", output, StringComparison.Ordinal);
        var imap = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        Assert.Equal("127.0.0.1", (string?)imap["Host"]);
        Assert.Equal("None", (string?)imap["Security"]);
        Assert.Equal("[Gmail]/Drafts", (string?)imap["DraftsFolder"]);
        Assert.Equal("[Gmail]/Sent Mail", (string?)imap["SentFolder"]);
        Assert.Null(imap["Folders"]);
    }

    [Fact]
    public async Task RunAsync_AgainWithAnotherProviderOrServer_ReplacesThePreviousFolderNames()
    {
        var user = server.NewUser();
        Assert.Equal(0, (await RunAsync(Flags(user, server.Port, "None") with { ImapProvider = "gmail" })).Code);

        var (fastmail, fastmailOutput) = await RunAsync(Flags(user, server.Port, "None") with { ImapProvider = "fastmail" });
        var afterFastmail = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        // Another server, no provider: its folders are found by SPECIAL-USE, not by Fastmail's names.
        var (own, ownOutput) = await RunAsync(Flags(user, server.Port, "None") with { ImapHost = "localhost" });
        var afterOwn = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();

        Assert.True(fastmail == 0, fastmailOutput);
        Assert.Equal("Drafts", (string?)afterFastmail["DraftsFolder"]);
        Assert.Equal("Sent", (string?)afterFastmail["SentFolder"]);
        Assert.True(own == 0, ownOutput);
        Assert.Equal("localhost", (string?)afterOwn["Host"]);
        Assert.False(afterOwn.ContainsKey("DraftsFolder"), afterOwn.ToJsonString());
        Assert.False(afterOwn.ContainsKey("SentFolder"), afterOwn.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_UnknownProvider_Exit2NamingTheFlagAndTheChoices()
    {
        var user = server.NewUser();

        var (code, output) = await RunAsync(Flags(user, server.Port, "None") with { ImapProvider = "aol" });

        Assert.Equal(2, code);
        Assert.Contains("--imap-provider must be one of gmail, outlook, fastmail, icloud, yahoo (got 'aol')", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AfterInitWithImapFlagsAndNoOtherSettings_DraftReachesTheDraftsFolder()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts");
        Assert.Equal(0, (await RunAsync(Flags(user, server.Port, "None"))).Code);

        // As a user runs it: the per-user file init wrote is the only settings source.
        var home = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _folder.Path("config"), ["APPDATA"] = _folder.Path("config") };
        await using var daemon = ChildDaemon.Start(["run"], home);
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        var question = MimeMessageBuilder.ToMe("init1@example.com", "Budget", "Can you sign off the budget?", "Alice", "alice@example.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await server.AppendAsync(user, "INBOX", question.Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await daemon.WaitForLogAsync("IMAP draft", s_timeout);

        using var client = await server.ConnectAsync(user);
        var drafts = await client.GetFolderAsync("Drafts");
        await drafts.OpenAsync(MailKit.FolderAccess.ReadOnly);
        Assert.Equal(1, drafts.Count);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        Assert.Contains("Stopping (Ctrl-C or SIGTERM)", daemon.Error, StringComparison.Ordinal);
    }

    private InitFlags Flags(DovecotUser user, int port, string security) => new()
    {
        Vault = VaultRoot,
        Name = "Ada Lovelace",
        Email = "ada@example.com",
        Signature = "Ada",
        Provider = "openai",
        Endpoint = _llm.OpenAIEndpoint,
        Model = FakeLlmServer.Model,
        ApiKey = FakeLlmServer.ApiKey,
        ImapHost = "127.0.0.1",
        ImapPort = port,
        ImapSecurity = security,
        ImapUsername = user.Name,
        ImapPassword = user.Password,
    };

    private async Task<(int Code, string Output)> RunAsync(InitFlags flags, bool interactive = false, Action<TestConsole>? script = null)
    {
        using var error = new StringWriter();
        using var console = new TestConsole();
        console.Profile.Capabilities.Interactive = interactive;
        console.Profile.Width = 1000; // one message per line, as asserted
        script?.Invoke(console);
        var code = await InitCommand.RunAsync(console, error, interactive, flags, UserFile, s_program, CancellationToken.None);
        return (code, console.Output + error);
    }
}
