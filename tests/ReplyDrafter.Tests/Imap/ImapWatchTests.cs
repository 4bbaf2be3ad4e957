using MailKit.Net.Imap;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>How the watch follows the server: NOTIFY on one connection where offered, a second connection for Sent where not.</summary>
[Collection(DovecotGroup.Name)]
public sealed class ImapWatchTests(DovecotServer server)
{
    [Theory]
    [InlineData(null)]
    [InlineData("Sent Items")] // configured, but the server has only its \Sent folder
    public async Task RunAsync_ServerOffersNotify_ReplyInSentLearnedOverTheOneConnection(string? sentFolder)
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Sent");
        var (harness, delivered) = await ReplyFiledIntoSentAsync(user, sentFolder);
        using (harness)
        {
            Assert.Equal(("Sent", "my-reply@x"), delivered);
            // The folder's creation, the watch's one connection, and the test's own APPEND.
            Assert.Equal(1 + 1 + 1, await server.LoginCountAsync(user, 3));
            Assert.Contains(harness.Log.Entries, e => e.Message.EndsWith("(IDLE with NOTIFY)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RunAsync_ServerOffersNotify_ReplyInSentAfterAnInboxMessageLearnedAtOnceToo()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Sent");
        using var harness = new SourceHarness(server.Options(user), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        // A message read, and the watch back in IDLE: the Sent folder must still be heard of at once.
        var idleAgain = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("question@x", "Question"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(1);
        await idleAgain;
        await server.AppendAsync(user, "Sent", SourceHarness.Mail("my-reply@x", "Re: Question"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(2);

        Assert.Equal(("Sent", "my-reply@x"), (harness.Delivered[^1].Folder, harness.Delivered[^1].Message.MessageId));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
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

        var (harness, delivered) = await ReplyFiledIntoSentAsync(user);
        using (harness)
        {
            Assert.Equal(("Sent", "my-reply@x"), delivered);
            // The folder's creation, the watch's two connections, and the test's own APPEND.
            Assert.Equal(1 + 2 + 1, await server.LoginCountAsync(user, 4));
            Assert.Contains(harness.Log.Entries, e => e.Message.EndsWith("(IDLE)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RunAsync_IdledFolderDeletedAndCreatedAgainWithNotify_NewMailInItRead()
    {
        var user = server.NewUser();
        var (harness, run, stop) = await WatchWorkAsync(user);
        using (harness)
        using (stop)
        {
            var idleAgain = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
            await RecreateWorkWithMailAsync(user);
            await harness.WaitForDeliveredAsync(2);
            Assert.Equal("new@x", harness.Delivered[^1].Message.MessageId);
            Assert.Contains(harness.Log.Entries, e => e.Message.Contains("Work was deleted on the server", StringComparison.Ordinal));

            // Followed again (its NOTIFY set anew): later mail in it is heard of at once too.
            await idleAgain;
            await server.AppendAsync(user, "Work", SourceHarness.Mail("later@x"), DateTimeOffset.UtcNow);
            await harness.WaitForDeliveredAsync(3);
            Assert.Equal("later@x", harness.Delivered[^1].Message.MessageId);
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task RunAsync_IdledFolderDeletedAndCreatedAgainWithoutNotify_NewMailInItReadWithinThePollInterval()
    {
        var user = server.NewNoNotifyUser();
        var (harness, run, stop) = await WatchWorkAsync(user);
        using (harness)
        using (stop)
        {
            await RecreateWorkWithMailAsync(user);
            var delivered = harness.WaitForDeliveredAsync(2);
            var time = (FakeTimeProvider)harness.Time;
            time.Advance(harness.Options.PollInterval);
            await delivered;

            Assert.Equal("new@x", harness.Delivered[^1].Message.MessageId);
            Assert.Contains(harness.Log.Entries, e => e.Message.StartsWith("IMAP folder Work changed UIDVALIDITY", StringComparison.Ordinal));
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Only Work is watched (so the source idles on it), with one message read.</summary>
    private async Task<(SourceHarness Harness, Task Run, CancellationTokenSource Stop)> WatchWorkAsync(DovecotUser user)
    {
        await server.CreateFolderAsync(user, "Work");
        await server.AppendAsync(user, "Work", SourceHarness.Mail("old@x"), DateTimeOffset.UtcNow);
        var harness = new SourceHarness(server.Options(user, "Work"), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);
        await harness.WaitForDeliveredAsync(1);
        return (harness, run, stop);
    }

    private async Task RecreateWorkWithMailAsync(DovecotUser user)
    {
        using (var client = await server.ConnectAsync(user))
        {
            await (await client.GetFolderAsync("Work")).DeleteAsync();
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Work", isMessageFolder: true);
            await client.DisconnectAsync(true);
        }

        await server.AppendAsync(user, "Work", SourceHarness.Mail("new@x"), DateTimeOffset.UtcNow);
    }

    /// <summary>The source idles on INBOX; the user's reply is filed into Sent; the clock never moves (no refresh, no poll).</summary>
    private async Task<(SourceHarness Harness, (string Folder, string MessageId) Delivered)> ReplyFiledIntoSentAsync(DovecotUser user, string? sentFolder = null)
    {
        var options = server.Options(user);
        options.SentFolder = sentFolder;
        var harness = new SourceHarness(options, new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        await server.AppendAsync(user, "Sent", SourceHarness.Mail("my-reply@x", "Re: Question"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(1);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        var reply = Assert.Single(harness.Delivered);
        return (harness, (reply.Folder, reply.Message.MessageId ?? ""));
    }
}
