using System.Text.Json.Nodes;
using MailKit;
using ReplyDrafter.Auth;
using ReplyDrafter.Cli;
using ReplyDrafter.Tests.Resilience;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using Spectre.Console.Testing;

namespace ReplyDrafter.Tests.Auth;

/// <summary><c>init --imap-provider oauth2</c> against the test authority and its Dovecot, then <c>run</c> from the file init wrote.</summary>
[Collection(OAuthMailGroup.Name)]
public sealed class OAuthInitTests(OAuthMailFixture fixture) : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_program = ["/opt/replydrafter/replydrafter"];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);
    private readonly TempVault _folder = new();
    private FakeLlmServer _llm = null!;

    private string UserFile => _folder.Path("config/replydrafter/settings.json");

    public async Task InitializeAsync() => _llm = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _llm.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Init_OAuth2Provider_SignsInWritesTheSignInKeysAndRunReadsTheMailboxFromThatFileAlone()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.OAuth2, _folder.Path("unused-tokens"));
        await fixture.Mail.CreateFolderAsync(user, "Drafts");

        var (code, output) = await InitAsync(Flags(user.Name, account.OAuth.ClientId));

        Assert.True(code == 0, output);
        Assert.Contains("enter the code", output, StringComparison.Ordinal);
        Assert.Contains($"Signed in as {user.Name}", output, StringComparison.Ordinal);
        Assert.Contains($"IMAP login works: {user.Name} at 127.0.0.1:{fixture.Mail.Port}", output, StringComparison.Ordinal);
        var imap = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        Assert.Equal("OAuth2", (string?)imap["Auth"]);
        Assert.Null(imap["Password"]);
        var oauth = imap["OAuth"]!.AsObject();
        Assert.Equal("OAuth2", (string?)oauth["Provider"]);
        Assert.Equal(account.OAuth.ClientId, (string?)oauth["ClientId"]);
        Assert.Equal(fixture.Identity.DiscoveryUrl, (string?)oauth["DiscoveryUrl"]);
        string tokens = _folder.Path("config/replydrafter/tokens");
        Assert.Equal(tokens, (string?)oauth["TokenCacheFolder"]);
        Assert.All(Directory.GetFiles(tokens), f => Assert.Equal(ReplyDrafter.Security.PrivateFiles.PrivateFileMode, File.GetUnixFileMode(f)));
        OAuthLoginTests.AssertNoToken(output + File.ReadAllText(UserFile), fixture.Identity);

        // As a user runs it: the per-user file init wrote is the only settings source; the child trusts the test authority.
        var home = new Dictionary<string, string>
        {
            ["XDG_CONFIG_HOME"] = _folder.Path("config"),
            ["APPDATA"] = _folder.Path("config"),
            ["SSL_CERT_FILE"] = fixture.Identity.CaFile,
        };
        await using var daemon = ChildDaemon.Start(["run"], home);
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        var question = MimeMessageBuilder.ToMe("oauth-init1@example.com", "Budget", "Can you sign off the budget?", "Alice", "alice@example.com", DateTimeOffset.UtcNow.AddMinutes(-5));
        await fixture.Mail.AppendAsync(user, "INBOX", question.Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await daemon.WaitForLogAsync("IMAP draft", s_timeout);

        using var client = await fixture.Mail.ConnectAsync(user);
        var drafts = await client.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(1, drafts.Count);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        OAuthLoginTests.AssertNoToken(daemon.Error + daemon.Output, fixture.Identity);
    }

    [Fact]
    public async Task Init_MicrosoftOverAnEarlierGoogleSetUp_DeviceCodeSignInAndOnlyMicrosoftKeysLeft()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.Microsoft, _folder.Path("unused-tokens"));
        var seeded = ReplyDrafter.Hosting.UserSettingsFile.Load(UserFile);
        seeded.Set("ReplyDrafter:Imap:Password", "old-app-password");
        seeded.Set("ReplyDrafter:Imap:OAuth:Provider", "Google");
        seeded.Set("ReplyDrafter:Imap:OAuth:ClientSecretFile", _folder.Path("google-secret"));
        seeded.Set("ReplyDrafter:Imap:OAuth:DiscoveryUrl", "https://accounts.google.com/.well-known/openid-configuration");
        seeded.Set("ReplyDrafter:Imap:OAuth:Authority", fixture.Identity.Authority); // as a national cloud's is set by hand
        seeded.Save();

        var (code, output) = await InitAsync(Flags(user.Name, account.OAuth.ClientId) with { ImapProvider = "microsoft", ImapTenant = "tenant", ImapOAuthDiscoveryUrl = null });

        Assert.True(code == 0, output);
        Assert.Matches(@"enter the code [A-Z]{8}", output);
        Assert.Contains($"IMAP login works: {user.Name}", output, StringComparison.Ordinal);
        var imap = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        Assert.Null(imap["Password"]);
        Assert.Equal("Sent Items", (string?)imap["SentFolder"]);
        var oauth = imap["OAuth"]!.AsObject();
        Assert.Equal(["Authority", "ClientId", "Provider", "Tenant", "TokenCacheFolder"], oauth.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Microsoft", (string?)oauth["Provider"]);
        Assert.Equal("tenant", (string?)oauth["Tenant"]);
        Assert.Equal(fixture.Identity.Authority, (string?)oauth["Authority"]);
        Assert.Null(oauth["ClientSecretFile"]);
        Assert.Null(oauth["DiscoveryUrl"]);
    }

    [Fact]
    public async Task Init_GoogleWithoutClientSecret_Exit2NamingTheFlagAndNothingWritten()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.Google, _folder.Path("unused-tokens"));

        var (code, output) = await InitAsync(Flags(user.Name, account.OAuth.ClientId) with { ImapProvider = "google", ImapOAuthDiscoveryUrl = null });

        Assert.Equal(2, code);
        Assert.Contains("--imap-client-secret-file is required for google", output, StringComparison.Ordinal);
        Assert.False(File.Exists(UserFile));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Init_GoogleInteractive_AsksIdAndSecretWithoutEchoSignsInThroughTheBrowserAndKeepsTheSecretPrivate()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.Google, _folder.Path("unused-tokens"));
        const string secret = "typed-client-secret";
        var flags = Flags(user.Name, "") with { ImapProvider = "google", ImapClientId = null, ImapOAuthDiscoveryUrl = null };

        var (code, output) = await GoogleInteractiveAsync(flags, test =>
        {
            test.Input.PushTextWithEnter(account.OAuth.ClientId);
            test.Input.PushTextWithEnter(secret);
        });

        Assert.True(code == 0, output);
        Assert.Contains("google (OAuth2)", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"IMAP login works: {user.Name} at 127.0.0.1:{fixture.Mail.Port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Identity.PkceExchanges(user.Name));
        var oauth = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!["OAuth"]!.AsObject();
        Assert.Equal("Google", (string?)oauth["Provider"]);
        Assert.Equal(account.OAuth.ClientId, (string?)oauth["ClientId"]);
        string secretFile = (string?)oauth["ClientSecretFile"] ?? "";
        Assert.Equal(_folder.Path("config/replydrafter/oauth-client-secret"), secretFile);
        Assert.Equal(secret, File.ReadAllText(secretFile));
        Assert.Equal(ReplyDrafter.Security.PrivateFiles.PrivateFileMode, File.GetUnixFileMode(secretFile));
        Assert.DoesNotContain(secret, File.ReadAllText(UserFile), StringComparison.Ordinal);
        OAuthLoginTests.AssertNoToken(output + File.ReadAllText(UserFile), fixture.Identity);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Init_InteractiveWithAGmailAddressAndNoProviderNamed_OffersOAuth2FirstAndSignsInWithIt()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.Google, _folder.Path("unused-tokens"));
        var flags = AddressOnly("ada@gmail.com");

        var (code, output) = await GoogleInteractiveAsync(flags, test =>
        {
            test.Input.PushTextWithEnter("y"); // read mail from an IMAP mailbox
            test.Input.PushKey(ConsoleKey.Enter); // the first way offered: OAuth2
            test.Input.PushTextWithEnter("127.0.0.1"); // instead of imap.gmail.com
            test.Input.PushTextWithEnter("None");
            test.Input.PushTextWithEnter(fixture.Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            test.Input.PushTextWithEnter(user.Name);
            test.Input.PushTextWithEnter(account.OAuth.ClientId);
            test.Input.PushTextWithEnter("typed-client-secret");
        });

        Assert.True(code == 0, output);
        Assert.Contains("How should ReplyDrafter log in to gmail?", output, StringComparison.Ordinal);
        Assert.Contains($"IMAP login works: {user.Name} at 127.0.0.1:{fixture.Mail.Port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", output, StringComparison.Ordinal);
        var imap = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!.AsObject();
        Assert.Equal("OAuth2", (string?)imap["Auth"]);
        Assert.Equal("[Gmail]/Drafts", (string?)imap["DraftsFolder"]); // the address's provider still names the folders
        Assert.Equal("Google", (string?)imap["OAuth"]!["Provider"]);
    }

    [Fact]
    public async Task Init_InteractiveWithAnOutlookAddress_OffersOAuth2AndTakesThePersonalAccountsTenant()
    {
        var (account, user) = fixture.NewAccount(OAuthProvider.Microsoft, _folder.Path("unused-tokens"));
        var seeded = ReplyDrafter.Hosting.UserSettingsFile.Load(UserFile);
        seeded.Set("ReplyDrafter:Imap:OAuth:Authority", fixture.Identity.Authority); // as a national cloud's is set by hand
        seeded.Save();
        using var test = new TestConsole();
        test.Profile.Width = 1000;
        test.Profile.Capabilities.Interactive = true;
        test.Input.PushTextWithEnter("y");
        test.Input.PushKey(ConsoleKey.Enter); // OAuth2
        test.Input.PushTextWithEnter("127.0.0.1"); // instead of outlook.office365.com
        test.Input.PushTextWithEnter("None");
        test.Input.PushTextWithEnter(fixture.Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        test.Input.PushTextWithEnter(user.Name);
        test.Input.PushTextWithEnter(account.OAuth.ClientId);
        test.Input.PushKey(ConsoleKey.Enter); // the tenant offered
        using var error = new StringWriter();
        var flags = AddressOnly("ada@outlook.com");

        int code = await InitCommand.RunAsync(test, error, interactive: true, flags, UserFile, s_program, fixture.Identity.Http, CancellationToken.None).WaitAsync(s_timeout);

        string output = test.Output + error;
        Assert.True(code == 0, output);
        Assert.Contains("How should ReplyDrafter log in to outlook?", output, StringComparison.Ordinal);
        Assert.Matches(@"enter the code [A-Z]{8}", output);
        var oauth = JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!["Imap"]!["OAuth"]!.AsObject();
        Assert.Equal(("Microsoft", "consumers"), ((string?)oauth["Provider"], (string?)oauth["Tenant"]));
    }

    /// <summary>
    /// init on a terminal that signs in to "Google" (the test authority, named by the settings file) with the test
    /// playing the browser: <paramref name="type"/> answers the questions.
    /// </summary>
    private async Task<(int Code, string Output)> GoogleInteractiveAsync(InitFlags flags, Action<TestConsole> type)
    {
        var seeded = ReplyDrafter.Hosting.UserSettingsFile.Load(UserFile);
        seeded.Set("ReplyDrafter:Imap:OAuth:Provider", "Google");
        seeded.Set("ReplyDrafter:Imap:OAuth:DiscoveryUrl", fixture.Identity.DiscoveryUrl);
        seeded.Save();
        using var test = new TestConsole();
        test.Profile.Width = 1000;
        test.Profile.Capabilities.Interactive = true;
        type(test);
        var console = new WatchingConsole(test, @"open this address in a browser on this computer: (\S+)");
        using var error = new StringWriter();

        var init = InitCommand.RunAsync(console, error, interactive: true, flags, UserFile, s_program, fixture.Identity.Http, CancellationToken.None);
        var printed = await Task.WhenAny(console.Match, init).WaitAsync(s_timeout);
        Assert.True(printed == console.Match, $"init ended without printing the address: {test.Output}{error}");
        using var browser = fixture.Identity.CreateBrowser();
        using var consent = await browser.GetAsync(new Uri(await console.Match)).WaitAsync(s_timeout);
        using var loopback = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var back = await loopback.GetAsync(consent.Headers.Location!).WaitAsync(s_timeout);
        int code = await init.WaitAsync(s_timeout);
        return (code, test.Output + error);
    }

    /// <summary>No IMAP flags: init on a terminal goes by the address alone.</summary>
    private InitFlags AddressOnly(string email) => Flags("", "") with
    {
        Email = email, ImapProvider = null, ImapHost = null, ImapPort = null, ImapSecurity = null, ImapUsername = null,
        ImapClientId = null, ImapOAuthDiscoveryUrl = null,
    };

    private InitFlags Flags(string username, string clientId) => new()
    {
        Vault = _folder.Path("vault"),
        Name = "Ada Lovelace",
        Email = "ada@example.com",
        Signature = "Ada",
        Provider = "openai",
        Endpoint = _llm.OpenAIEndpoint,
        Model = FakeLlmServer.Model,
        ApiKey = FakeLlmServer.ApiKey,
        ImapProvider = "oauth2",
        ImapHost = "127.0.0.1",
        ImapPort = fixture.Mail.Port,
        ImapSecurity = "None",
        ImapUsername = username,
        ImapClientId = clientId,
        ImapOAuthDiscoveryUrl = fixture.Identity.DiscoveryUrl,
    };

    private async Task<(int Code, string Output)> InitAsync(InitFlags flags)
    {
        using var error = new StringWriter();
        using var console = new TestConsole();
        console.Profile.Width = 1000; // one message per line, as asserted
        var code = await InitCommand.RunAsync(console, error, interactive: false, flags, UserFile, s_program, fixture.Identity.Http, CancellationToken.None)
            .WaitAsync(s_timeout);
        return (code, console.Output + error);
    }
}
