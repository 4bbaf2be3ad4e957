using MailKit.Net.Imap;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>How the watch follows the server: NOTIFY on one connection where offered, a second connection for Sent where not.</summary>
[Collection(DovecotGroup.Name)]
public sealed class ImapWatchTests(DovecotServer server)
{
    [Fact]
    public async Task RunAsync_ServerOffersNotify_ReplyInSentLearnedOverTheOneConnection()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Sent");
        int loginsBefore = server.LoginCount(user);
        var (harness, delivered) = await ReplyFiledIntoSentAsync(user);
        using (harness)
        {
            Assert.Equal(("Sent", "my-reply@x"), delivered);
            Assert.Equal(1 + 1, server.LoginCount(user) - loginsBefore); // and the test's own APPEND
            Assert.Contains(harness.Log.Entries, e => e.Message.EndsWith("(IDLE with NOTIFY)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RunAsync_ServerWithoutNotify_ReplyInSentLearnedOverASecondConnection()
    {
        var user = server.NewNoNotifyUser();
        using (var client = await server.ConnectAsync(user))
        {
            Assert.False(client.Capabilities.HasFlag(ImapCapabilities.Notify));
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Sent", isMessageFolder: true);
            await client.DisconnectAsync(true);
        }

        int loginsBefore = server.LoginCount(user);
        var (harness, delivered) = await ReplyFiledIntoSentAsync(user);
        using (harness)
        {
            Assert.Equal(("Sent", "my-reply@x"), delivered);
            Assert.Equal(2 + 1, server.LoginCount(user) - loginsBefore); // and the test's own APPEND
            Assert.Contains(harness.Log.Entries, e => e.Message.EndsWith("(IDLE)", StringComparison.Ordinal));
        }
    }

    /// <summary>The source idles on INBOX; the user's reply is filed into Sent; the clock never moves (no refresh, no poll).</summary>
    private async Task<(SourceHarness Harness, (string Folder, string MessageId) Delivered)> ReplyFiledIntoSentAsync(DovecotUser user)
    {
        var harness = new SourceHarness(server.Options(user), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource();
        var idle = harness.WaitForStateAsync(ImapConnectionStatus.Idle);
        var run = harness.Source.RunAsync(harness.ConsumeAsync, stop.Token);
        await idle;

        await server.AppendAsync(user, "Sent", SourceHarness.Mail("my-reply@x", "Re: Question"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(1);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        var reply = Assert.Single(harness.Delivered);
        return (harness, (reply.Folder, reply.Message.MessageId ?? ""));
    }
}
