using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>Imap:MaxResponseBytes against a server that floods or lies about sizes (no Dovecot: it would behave).</summary>
public sealed class ImapResponseBoundTests
{
    private const long Bound = 1024 * 1024;

    [Fact]
    public async Task ConnectAsync_ServerFloodsUntaggedResponses_ReadStopsPastTheBound()
    {
        await using var server = new HostileImapServer(bigLiteral: false);
        using var client = await new ImapConnector(Options.Create(For(server))).ConnectAsync(default);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.Inbox.OpenAsync(FolderAccess.ReadOnly));

        Assert.Contains("MaxResponseBytes", Messages(error), StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        await server.DisposeAsync(); // waits for the flood to end
        Assert.True(server.LargestAnswer < HostileImapServer.Cap, $"the flood ran to its cap ({server.LargestAnswer} bytes)");
    }

    [Fact]
    public async Task ConnectAsync_LiteralLargerThanAnnouncedSize_ReadStopsPastTheBound()
    {
        await using var server = new HostileImapServer(bigLiteral: true);
        using var client = await new ImapConnector(Options.Create(For(server))).ConnectAsync(default);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.Inbox.GetMessageAsync(new UniqueId(1, 1)));

        Assert.Contains("MaxResponseBytes", Messages(error), StringComparison.Ordinal);
        await server.DisposeAsync();
        Assert.True(server.LargestAnswer < HostileImapServer.Cap, $"the literal was read to its cap ({server.LargestAnswer} bytes)");
    }

    [Fact]
    public async Task RunAsync_ServerFloods_DropsTheConnectionWithOneWarningAndBacksOff()
    {
        await using var server = new HostileImapServer(bigLiteral: false);
        using var harness = new SourceHarness(For(server), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource();
        var reconnecting = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: true);

        var run = harness.Source.RunAsync(harness.ConsumeAsync, stop.Token);
        await reconnecting;
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var warning = Assert.Single(harness.Log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("MaxResponseBytes", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", warning.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Delivered);
    }

    [Fact]
    public async Task CatchUpOnceAsync_ServerFloods_EndsWithTheReason()
    {
        await using var server = new HostileImapServer(bigLiteral: false);
        using var harness = new SourceHarness(For(server), new FakeTimeProvider(DateTimeOffset.UtcNow));

        await Assert.ThrowsAnyAsync<Exception>(() => harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("MaxResponseBytes", harness.State.Current.Reason ?? "", StringComparison.Ordinal);
        Assert.Empty(harness.Delivered);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    public void Check_MaxResponseBytesBelowOneMegabyte_NamesTheKey(long value)
    {
        var options = new ImapOptions { Host = "127.0.0.1", Username = "u", Password = "p", MaxResponseBytes = value };

        Assert.Contains(ImapOptionsValidator.Check(options), p => p.Contains("Imap:MaxResponseBytes", StringComparison.Ordinal));
    }

    private static ImapOptions For(HostileImapServer server) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Security = SecureSocketOptions.None,
        Username = "ada",
        Password = "secret",
        MaxResponseBytes = Bound,
    };

    private static string Messages(Exception? e)
    {
        var all = new List<string>();
        for (; e is not null; e = e.InnerException)
        {
            all.Add(e.Message);
        }

        return string.Join(" | ", all);
    }
}
