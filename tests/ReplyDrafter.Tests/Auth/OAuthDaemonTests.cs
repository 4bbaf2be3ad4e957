using System.Globalization;
using System.Text;
using System.Text.Json;
using MailKit;
using ReplyDrafter.Auth;
using ReplyDrafter.Cli;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.Imap;
using ReplyDrafter.Tests.Resilience;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Auth;

/// <summary><c>run</c> as a child process signed in with OAuth2: refreshes forced by Dovecot's refusals, a revoked grant, no token anywhere.</summary>
[Collection(OAuthMailGroup.Name)]
public sealed class OAuthDaemonTests(OAuthMailFixture fixture) : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Run_AccessTokenRefusedThreeTimes_RefreshesEachTimeAndKeepsDrafting()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await SignInAsync(harness);
        await using var daemon = ChildDaemon.Start(harness.Arguments("run"), Environment());
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);

        for (int round = 1; round <= 3; round++)
        {
            // Dovecot's introspection now says inactive: the next login is refused until the daemon refreshes.
            int refreshes = fixture.Identity.Refreshes(user.Name);
            fixture.Identity.ExpireAccessTokens(user.Name);
            fixture.Mail.Kick(user);
            await daemon.WaitForLogCountAsync("IMAP connected", round + 1, s_timeout);
            Assert.Equal(refreshes + 1, fixture.Identity.Refreshes(user.Name));

            await fixture.Mail.AppendAsync(user, "INBOX", Question($"refresh{round}@example.com").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
            await daemon.WaitForLogCountAsync("IMAP draft", round, s_timeout);
        }

        Assert.Equal(3, await CountAsync(user, "Drafts"));
        Assert.Equal(3, harness.Notes().Count);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        AssertNoTokenAnywhere(harness, daemon.Error + daemon.Output);
    }

    [Fact]
    public async Task Run_RefreshTokenRevoked_OneLineNoRetryFolderPipelineRunsStatusShowsItOnceExits2()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await SignInAsync(harness);
        await using var daemon = ChildDaemon.Start(harness.Arguments("run"), Environment());
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        int attempts = fixture.Identity.RefreshAttempts;

        fixture.Identity.Revoke(user.Name);
        fixture.Mail.Kick(user);
        await daemon.WaitForLogAsync("IMAP source is stopped", s_timeout);
        harness.Drop(Question("revoked1@example.com"), "after.eml");
        await daemon.WaitUntilAsync(() => harness.Notes().Count == 1 && harness.InboxLeft().Count == 0, s_timeout, "the inbox file was not processed");

        Assert.False(daemon.HasExited, daemon.Error);
        Assert.Equal(1, fixture.Identity.RefreshAttempts - attempts);
        // One line stops the source; the draft the folder pipeline wrote meanwhile says (once) why it is not in Drafts.
        var told = daemon.Error.Split('\n').Where(l => l.Contains("run `replydrafter login` again", StringComparison.Ordinal)).ToList();
        Assert.Single(told, l => l.Contains("The IMAP source is stopped", StringComparison.Ordinal));
        Assert.Equal(2, told.Count);
        Assert.Contains(told, l => l.Contains("is in Outbox/ but not yet in the IMAP Drafts folder", StringComparison.Ordinal));
        var (statusCode, status, statusError) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));
        Assert.True(statusCode == 0, statusError);
        Assert.Contains("auth failed", status, StringComparison.Ordinal);
        Assert.Contains("run `replydrafter login` again", status, StringComparison.Ordinal);
        Assert.Contains("OAuth2 (OAuth2), tokens in", status, StringComparison.Ordinal);
        var (jsonCode, json, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        Assert.Equal(0, jsonCode);
        Assert.Contains(Strings(JsonDocument.Parse(json).RootElement), s => s.Contains("run `replydrafter login` again", StringComparison.Ordinal));

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        await using var once = ChildDaemon.Start(harness.Arguments("run", "--once"), Environment());
        Assert.Equal(2, await once.WaitForExitAsync(s_timeout));
        Assert.Contains("run `replydrafter login` again", once.Error, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Identity.RefreshAttempts - attempts);
        AssertNoTokenAnywhere(harness, daemon.Error + daemon.Output + status + json + statusError + once.Error + once.Output);
    }

    public void Dispose() => _temp.Dispose();

    private static MimeMessageBuilder Question(string id) =>
        MimeMessageBuilder.ToMe(id, "Question " + id, "Can you help with " + id + "?", "Alice", "alice@example.com", DateTimeOffset.UtcNow.AddMinutes(-5));

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>The child trusts the test authority's certificate, and has a per-user folder of its own.</summary>
    private Dictionary<string, string> Environment() => new()
    {
        ["SSL_CERT_FILE"] = fixture.Identity.CaFile,
        ["XDG_CONFIG_HOME"] = _temp.Combine("config"),
        ["APPDATA"] = _temp.Combine("config"),
    };

    /// <summary>Signs a fresh user in (the test plays the terminal) and points the harness's settings at the mailbox.</summary>
    private async Task<DovecotUser> SignInAsync(DaemonHarness harness)
    {
        var (options, user) = fixture.NewAccount(OAuthProvider.OAuth2, _temp.Combine("tokens"));
        await fixture.Mail.CreateFolderAsync(user, "Drafts");
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await LoginCommand.SignInAsync(options, fixture.Identity.Http, TimeProvider.System, CliConsole.Writers(output, error), CancellationToken.None).WaitAsync(s_timeout));
        harness.Settings.AddRange(
        [
            // Everything the program can log, the framework's HTTP and hosting logs included: no level may show a token.
            "--Serilog:MinimumLevel:Default=Verbose",
            "--Serilog:MinimumLevel:Override:Microsoft=Verbose",
            "--Serilog:MinimumLevel:Override:System.Net.Http=Verbose",
            "--Serilog:MinimumLevel:Override:Polly=Verbose",
            "--ReplyDrafter:Inbox:RescanInterval=00:00:01",
            "--ReplyDrafter:Llm:BreakDuration=00:00:01",
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + fixture.Mail.Port.ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:ReconnectDelay=00:00:00.200",
            "--ReplyDrafter:Imap:ReconnectMaxDelay=00:00:01",
            "--ReplyDrafter:Imap:Auth=OAuth2",
            "--ReplyDrafter:Imap:OAuth:Provider=OAuth2",
            "--ReplyDrafter:Imap:OAuth:ClientId=" + options.OAuth.ClientId,
            "--ReplyDrafter:Imap:OAuth:DiscoveryUrl=" + fixture.Identity.DiscoveryUrl,
            "--ReplyDrafter:Imap:OAuth:TokenCacheFolder=" + _temp.Combine("tokens"),
        ]);
        return user;
    }

    private async Task<int> CountAsync(DovecotUser user, string name)
    {
        using var client = await fixture.Mail.ConnectAsync(user);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        int count = folder.Count;
        await client.DisconnectAsync(true);
        return count;
    }

    /// <summary>No access or refresh token in <paramref name="text"/> (logs, status) nor in any file of the vault (notes, drafts, prompt records, state).</summary>
    private void AssertNoTokenAnywhere(DaemonHarness harness, string text)
    {
        var vault = new StringBuilder(text);
        foreach (var file in Directory.EnumerateFiles(harness.Vault.Root, "*", SearchOption.AllDirectories))
        {
            vault.Append(Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }

        Assert.NotEmpty(fixture.Identity.Issued);
        OAuthLoginTests.AssertNoToken(vault.ToString(), fixture.Identity);
    }
}
