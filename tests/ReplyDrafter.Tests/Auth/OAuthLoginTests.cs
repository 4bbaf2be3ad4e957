using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Auth;
using ReplyDrafter.Cli;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Auth;

/// <summary>Sign-in and IMAP login with OAuth2 against the test authority and a real Dovecot that asks it.</summary>
[Collection(OAuthMailGroup.Name)]
public sealed class OAuthLoginTests(OAuthMailFixture fixture) : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly TempFolder _temp = new();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_MicrosoftDeviceCode_SignsInKeepsTokensPrivateAndImapLoginWorks()
    {
        var (options, user) = fixture.NewAccount(OAuthProvider.Microsoft, _temp.Combine("tokens"));
        var (code, output, error) = await SignInAsync(options, TimeProvider.System);

        Assert.True(code == 0, output + error);
        Assert.Matches(@"open https://127\.0\.0\.1:\d+/device and enter the code [A-Z]{8}", output);
        Assert.Contains($"Signed in as {user.Name}", output, StringComparison.Ordinal);
        Assert.Contains("IMAP login works", output, StringComparison.Ordinal);
        Assert.Contains("readable by you only, 0600", output, StringComparison.Ordinal);
        var files = Directory.GetFiles(_temp.Combine("tokens"));
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(ReplyDrafter.Security.PrivateFiles.PrivateFileMode, File.GetUnixFileMode(f)));
        Assert.Equal(ReplyDrafter.Security.PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(_temp.Combine("tokens")));
        AssertNoToken(output + error);
    }

    [Fact]
    public async Task Login_GoogleLoopbackRedirectWithPkce_BrowserHandsBackTheCodeAndTheListenerCloses()
    {
        var (options, user) = fixture.NewAccount(OAuthProvider.Google, _temp.Combine("tokens"));
        using var output = new LineWatcher(@"open this address in a browser on this computer: (\S+)");
        using var error = new StringWriter();
        var login = LoginCommand.SignInAsync(options, fixture.Identity.Http, TimeProvider.System, CliConsole.Writers(output, error), CancellationToken.None);

        // The test is the browser: the authority approves at once and redirects to the loopback listener with the code.
        var printed = await Task.WhenAny(output.Match, login).WaitAsync(s_timeout);
        Assert.True(printed == output.Match, $"login ended without printing the address: {output}{error}");
        var address = new Uri(await output.Match);
        var query = LoopbackRedirect.Parse(address.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["code_challenge"]);
        Assert.Equal("https://mail.google.com/", query["scope"]);
        using var browser = fixture.Identity.CreateBrowser();
        using var consent = await browser.GetAsync(address).WaitAsync(s_timeout);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = consent.Headers.Location!;
        Assert.Equal(new Uri(query["redirect_uri"]).Authority, back.Authority);
        using var loopback = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        string page = await loopback.GetStringAsync(back).WaitAsync(s_timeout);
        int code = await login.WaitAsync(s_timeout);

        Assert.True(code == 0, output.ToString() + error);
        Assert.Contains("sign-in received", page, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Identity.PkceExchanges(user.Name));
        Assert.Contains("IMAP login works", output.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => loopback.GetAsync(back).WaitAsync(s_timeout));
        AssertNoToken(output.ToString() + error);
    }

    [Fact]
    public async Task Connect_AccessTokenCloseToExpiry_RefreshedBeforeTheLogin()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (options, user) = fixture.NewAccount(OAuthProvider.Microsoft, _temp.Combine("tokens"));
        Assert.Equal(0, (await SignInAsync(options, time)).ExitCode);
        Assert.Equal(0, fixture.Identity.Refreshes(user.Name));

        time.Advance(fixture.Identity.AccessLifetime - TimeSpan.FromMinutes(2));
        using var connector = new ImapConnector(Options.Create(options), time, fixture.Identity.Http);
        using var client = await connector.ConnectAsync(CancellationToken.None);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(1, fixture.Identity.Refreshes(user.Name));
    }

    [Fact]
    public async Task Connect_ServerRejectsTheExpiredToken_RefreshesOnceAndLogsIn()
    {
        var (options, user) = fixture.NewAccount(OAuthProvider.OAuth2, _temp.Combine("tokens"));
        var (code, output, error) = await SignInAsync(options, TimeProvider.System);
        Assert.True(code == 0, output + error);
        Assert.Contains("enter the code", output, StringComparison.Ordinal);

        fixture.Identity.ExpireAccessTokens(user.Name);
        using var connector = new ImapConnector(Options.Create(options), TimeProvider.System, fixture.Identity.Http);
        using var client = await connector.ConnectAsync(CancellationToken.None);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(1, fixture.Identity.Refreshes(user.Name));
    }

    [Fact]
    public async Task Source_RefreshTokenRevoked_StopsWithOneLineAndNoRetry()
    {
        var (options, user) = fixture.NewAccount(OAuthProvider.OAuth2, _temp.Combine("tokens"));
        Assert.Equal(0, (await SignInAsync(options, TimeProvider.System)).ExitCode);
        fixture.Identity.Revoke(user.Name);
        using var harness = new Imap.SourceHarness(options) { Http = fixture.Identity.Http };
        harness.NewSource();
        int attempts = fixture.Identity.RefreshAttempts;

        // Returns by itself: a refused refresh is not retried.
        await harness.Source.RunAsync(harness.ConsumeAsync, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        var state = harness.State.Current;
        Assert.Equal(ImapConnectionStatus.AuthFailed, state.Status);
        Assert.Contains("run `replydrafter login` again", state.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', state.Reason!);
        Assert.Equal(1, fixture.Identity.RefreshAttempts - attempts);
        Assert.Equal(1, harness.History.Count(s => s == ImapConnectionStatus.Connecting));
        AssertNoToken(state.Reason!);
    }

    [Theory]
    [InlineData(OAuthProvider.Microsoft)]
    [InlineData(OAuthProvider.OAuth2)]
    public async Task Connect_AgainAfterTheGrantWasRefused_SameLineWithoutAskingTheServer(OAuthProvider provider)
    {
        var (options, user) = fixture.NewAccount(provider, _temp.Combine("tokens"));
        Assert.Equal(0, (await SignInAsync(options, TimeProvider.System)).ExitCode);
        fixture.Identity.Revoke(user.Name);
        int attempts = fixture.Identity.RefreshAttempts;
        using var connector = new ImapConnector(Options.Create(options), TimeProvider.System, fixture.Identity.Http);

        var first = await Assert.ThrowsAsync<ImapLoginException>(() => connector.ConnectAsync(CancellationToken.None).WaitAsync(s_timeout));
        var second = await Assert.ThrowsAsync<ImapLoginException>(() => connector.ConnectAsync(CancellationToken.None).WaitAsync(s_timeout));

        Assert.Contains("run `replydrafter login` again", first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(1, fixture.Identity.RefreshAttempts - attempts);
    }

    public void Dispose() => _temp.Dispose();

    internal static void AssertNoToken(string text, OAuthTestServer identity)
    {
        foreach (var token in identity.Issued)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    private void AssertNoToken(string text) => AssertNoToken(text, fixture.Identity);

    private async Task<(int ExitCode, string Output, string Error)> SignInAsync(ImapOptions options, TimeProvider time)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await LoginCommand.SignInAsync(options, fixture.Identity.Http, time, CliConsole.Writers(output, error), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
