using System.Globalization;
using System.Threading.Channels;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>Waiting drafts retried on their own schedule (fake clock) against the real Dovecot: a full quota, a Drafts folder made later.</summary>
[Collection(DovecotGroup.Name)]
public sealed class ImapPendingDraftsTests(DovecotServer server) : IDisposable
{
    private readonly TempFolder _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task RetryAsync_AppendRefusedOverQuota_RetriedWithBackOffUntilThereIsRoom()
    {
        var user = server.NewQuotaUser();
        await server.CreateFolderAsync(user, "Drafts");
        await server.AppendAsync(user, "INBOX", Filler(DovecotServer.QuotaBytes - 256), DateTimeOffset.UtcNow);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new ImapStateStore(_state.Combine("imap.db"));
        using var writer = new ImapDraftWriter(new ImapConnector(Options.Create(server.Options(user))), store, time, NullLogger<ImapDraftWriter>.Instance);
        using var pending = new ImapPendingDrafts(writer, store, time, NullLogger<ImapPendingDrafts>.Instance);
        var draft = ImapDraftWriterTests.Draft("Tuesday works.");

        // What the sink does with a refused APPEND: the draft waits.
        var refused = await Assert.ThrowsAsync<ImapCommandException>(() => writer.WriteAsync(draft, null, default));
        Assert.True(ImapDraftSink.IsTransport(refused));
        Assert.Contains("quota", refused.ResponseText, StringComparison.OrdinalIgnoreCase);
        pending.Add("thread-1", "Outbox/reply.md", draft);

        var events = Channel.CreateUnbounded<string>();
        pending.RetryScheduled += delay => events.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"wait {delay.TotalSeconds:0}"));
        pending.RetryPassed += left => events.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"left {left}"));
        using var stop = new CancellationTokenSource();
        var retries = pending.RetryAsync(stop.Token);

        Assert.Equal("wait 30", await events.Reader.ReadAsync());
        time.Advance(ImapPendingDrafts.RetryDelay);
        Assert.Equal("left 1", await events.Reader.ReadAsync()); // still over quota, no mail arrived
        Assert.Equal("wait 60", await events.Reader.ReadAsync());
        await EmptyInboxAsync(user);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("left 0", await events.Reader.ReadAsync());

        Assert.Equal(0, store.PendingDraftCount());
        Assert.NotNull(store.GetDraft("thread-1"));
        Assert.Equal(1, await CountAsync(user, "Drafts"));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retries);
    }

    [Fact]
    public async Task RetryAsync_NoDraftsFolderUntilTheUserMakesOne_WaitingDraftAppendedThen()
    {
        var user = server.NewUser();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new ImapStateStore(_state.Combine("imap.db"));
        using var writer = new ImapDraftWriter(new ImapConnector(Options.Create(server.Options(user))), store, time, NullLogger<ImapDraftWriter>.Instance);
        using var pending = new ImapPendingDrafts(writer, store, time, NullLogger<ImapPendingDrafts>.Instance);
        var draft = ImapDraftWriterTests.Draft("Tuesday works.");
        Assert.Equal(DraftAppendOutcome.NoDraftsFolder, (await writer.WriteAsync(draft, null, default)).Outcome);
        pending.Add("thread-1", "Outbox/reply.md", draft);

        var events = Channel.CreateUnbounded<string>();
        pending.RetryScheduled += delay => events.Writer.TryWrite("wait");
        pending.RetryPassed += left => events.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"left {left}"));
        using var stop = new CancellationTokenSource();
        var retries = pending.RetryAsync(stop.Token);
        Assert.Equal("wait", await events.Reader.ReadAsync());
        time.Advance(ImapPendingDrafts.RetryDelay);
        Assert.Equal("left 1", await events.Reader.ReadAsync());
        Assert.Equal("wait", await events.Reader.ReadAsync());

        await server.CreateFolderAsync(user, "Drafts"); // the server marks it \Drafts
        time.Advance(ImapPendingDrafts.RetryMaxDelay);

        Assert.Equal("left 0", await events.Reader.ReadAsync());
        Assert.Equal(1, await CountAsync(user, "Drafts"));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retries);
    }

    private static MimeMessage Filler(int bytes)
    {
        var message = new MimeMessage { MessageId = "filler@example.com", Subject = "Large", Date = DateTimeOffset.UtcNow };
        message.From.Add(new MailboxAddress("Alice", "alice@example.com"));
        message.To.Add(new MailboxAddress("Me", "me@example.com"));
        message.Body = new TextPart("plain") { Text = new string('x', bytes - 400) };
        return message;
    }

    private async Task EmptyInboxAsync(DovecotUser user)
    {
        using var client = await server.ConnectAsync(user);
        var inbox = await client.GetFolderAsync("INBOX");
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var all = await inbox.SearchAsync(MailKit.Search.SearchQuery.All);
        await inbox.StoreAsync(all, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
        await inbox.ExpungeAsync();
        await client.DisconnectAsync(true);
    }

    private async Task<int> CountAsync(DovecotUser user, string name)
    {
        using var client = await server.ConnectAsync(user);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        int count = folder.Count;
        await client.DisconnectAsync(true);
        return count;
    }
}
