using MailKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

[Collection(DovecotDaemonGroup.Name)]
public sealed class ImapMailboxSourceTests(DovecotServer server)
{
    private static readonly DateTimeOffset Recent = DateTimeOffset.UtcNow.AddHours(-2);

    [Fact]
    public async Task CatchUpOnceAsync_AfterDowntime_FetchesOnlyUidsAfterTheLastOne()
    {
        var user = server.NewUser();
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("a@x"), Recent);
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("b@x"), Recent);
        using var harness = new SourceHarness(server.Options(user));

        Assert.Equal(2, await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default));
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("c@x"), Recent);
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("d@x"), Recent);
        harness.NewSource();
        Assert.Equal(2, await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default));

        Assert.Equal(["a@x", "b@x", "c@x", "d@x"], harness.Delivered.Select(m => m.Message.MessageId));
        Assert.Equal([1u, 2u, 3u, 4u], harness.Delivered.Select(m => m.Uid));
        Assert.All(harness.Delivered, m => Assert.Equal(Recent.ToUnixTimeSeconds(), m.InternalDate.ToUnixTimeSeconds()));
        Assert.Equal(4u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);
    }

    [Fact]
    public async Task CatchUpOnceAsync_ReadsMessages_LeavesThemUnreadAndInPlace()
    {
        var user = server.NewUser();
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("unread@x"), Recent);
        using var harness = new SourceHarness(server.Options(user));

        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);

        Assert.Single(harness.Delivered);
        using var client = await server.ConnectAsync(user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags);
        var only = Assert.Single(summaries);
        Assert.False(only.Flags!.Value.HasFlag(MessageFlags.Seen), "reading must not set \\Seen");
    }

    [Fact]
    public async Task CatchUpOnceAsync_ConsumerFails_StateNotAdvancedAndMessageRedelivered()
    {
        var user = server.NewUser();
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("one@x"), Recent);
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("two@x"), Recent);
        using var harness = new SourceHarness(server.Options(user));
        harness.Fail = m => m.Message.MessageId == "two@x" ? new InvalidOperationException("pipeline crashed") : null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default));
        Assert.Equal(1u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);

        harness.Fail = _ => null;
        await harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default);
        Assert.Equal(["one@x", "two@x"], harness.Delivered.Select(m => m.Message.MessageId));
        Assert.Equal(2u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);
    }

    [Fact]
    public async Task CatchUpOnceAsync_OneFetchOfFour_HandedOverAsOneBatch()
    {
        var user = server.NewUser();
        foreach (var id in new[] { "b1@x", "b2@x", "b3@x", "b4@x" })
        {
            await server.AppendAsync(user, "INBOX", SourceHarness.Mail(id), Recent);
        }

        using var harness = new SourceHarness(server.Options(user));

        Assert.Equal(4, await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default));

        Assert.Equal([4], harness.Batches);
        Assert.Equal(4u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);
    }

    [Fact]
    public async Task CatchUpOnceAsync_CrashAfterUids124SettledNot3_StateAtTwoAndRerunRedeliversThreeAndFour()
    {
        var user = server.NewUser();
        foreach (var id in new[] { "u1@x", "u2@x", "u3@x", "u4@x" })
        {
            await server.AppendAsync(user, "INBOX", SourceHarness.Mail(id), Recent);
        }

        using var harness = new SourceHarness(server.Options(user));

        // The batch's messages settle out of order (parallel threads), then the process dies with 3 still open.
        await Assert.ThrowsAsync<OperationCanceledException>(() => harness.Source.CatchUpOnceAsync(
            (batch, settled, _) =>
            {
                foreach (var uid in new uint[] { 2, 4, 1 })
                {
                    settled(batch.Single(m => m.Uid == uid));
                }

                throw new OperationCanceledException("killed mid-batch");
            },
            default));
        Assert.Equal(2u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);

        await harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default);
        Assert.Equal([3u, 4u], harness.Delivered.Select(m => m.Uid));
        Assert.Equal(4u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);
    }

    [Fact]
    public async Task CatchUpOnceAsync_UidValidityChanged_RescansTheWindowUnderTheNewValidity()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Work");
        await server.AppendAsync(user, "Work", SourceHarness.Mail("w1@x"), Recent);
        await server.AppendAsync(user, "Work", SourceHarness.Mail("w2@x"), Recent);
        using var harness = new SourceHarness(server.Options(user, "Work"));
        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);
        uint before = harness.Store.Get(harness.Options.Account, "Work")!.UidValidity;

        server.SetUidValidity(user, "Work", before + 1000);
        int again = await harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default);

        Assert.Equal(2, again);
        Assert.Equal(["w1@x", "w2@x", "w1@x", "w2@x"], harness.Delivered.Select(m => m.Message.MessageId));
        Assert.Equal(before + 1000, harness.Delivered[^1].UidValidity);
        var state = harness.Store.Get(harness.Options.Account, "Work")!;
        Assert.Equal((before + 1000, 2u), (state.UidValidity, state.LastUid));
    }

    [Fact]
    public async Task CatchUpOnceAsync_ThousandsOfOldMessages_FetchesOnlyTheSinceWindow()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Archive");
        const int Old = 3000;
        // Old mail written straight into the maildir: Dovecot takes a file's mtime as its INTERNALDATE.
        string cur = Path.Combine(user.FolderPath("Archive"), "cur");
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < Old; i++)
        {
            string file = Path.Combine(cur, $"{1_600_000_000 + i}.M{i}P1.test:2,");
            File.WriteAllText(file, $"From: old@example.com\r\nMessage-ID: <old-{i}@x>\r\nSubject: old {i}\r\n\r\nold\r\n");
            File.SetLastWriteTimeUtc(file, now.AddDays(-8 - (i % 300)).UtcDateTime);
        }

        await server.AppendAsync(user, "Archive", SourceHarness.Mail("new-1@x"), now.AddDays(-6));
        await server.AppendAsync(user, "Archive", SourceHarness.Mail("new-2@x"), now.AddHours(-1));
        using var harness = new SourceHarness(server.Options(user, "Archive"));

        int fetched = await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);

        Assert.Equal(2, fetched);
        Assert.Equal(["new-1@x", "new-2@x"], harness.Delivered.Select(m => m.Message.MessageId));
        using var client = await server.ConnectAsync(user);
        var archive = await client.GetFolderAsync("Archive");
        await archive.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(Old + 2, archive.Count);

        // A restart reads nothing old either: the state starts after the window.
        Assert.Equal(0, await harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default));
    }

    [Fact]
    public async Task CatchUpOnceAsync_MailDatedBeforeTheFirstWindowArrivesLater_IsNotRead()
    {
        var user = server.NewUser();
        using var harness = new SourceHarness(server.Options(user));
        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);

        // An import or a copy keeps its old arrival date but gets a new, higher UID.
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("imported@x"), DateTimeOffset.UtcNow.AddDays(-60));
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("fresh@x"), DateTimeOffset.UtcNow);
        await harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default);

        Assert.Equal(["fresh@x"], harness.Delivered.Select(m => m.Message.MessageId));
        Assert.Equal(2u, harness.Store.Get(harness.Options.Account, "INBOX")!.LastUid);
    }

    [Fact]
    public async Task RunAsync_MessageArrivesWhileIdle_IsDeliveredThroughIdle()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.PollInterval = TimeSpan.FromHours(1);
        using var harness = new SourceHarness(options, new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("live@x"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(1);

        Assert.Equal("live@x", Assert.Single(harness.Delivered).Message.MessageId);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ImapConnectionStatus.Stopped, harness.State.Current.Status);
    }

    [Fact]
    public async Task RunAsync_IdleRunsFor25Minutes_IsReissuedBeforeTheServerDropsIt()
    {
        var user = server.NewUser();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(server.Options(user), time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        var reissued = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
        time.Advance(ImapMailboxSource.IdleRefresh);
        await reissued;

        Assert.Equal(2, harness.History.Count(s => s == ImapConnectionStatus.Idle));
        Assert.DoesNotContain(ImapConnectionStatus.Reconnecting, harness.History);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_ConnectionKickedMidIdle_BacksOffReconnectsAndCatchesUp()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.ReconnectDelay = TimeSpan.FromMinutes(1);
        options.ReconnectMaxDelay = TimeSpan.FromMinutes(10);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        var reconnecting = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: true);
        server.Kick(user);
        await reconnecting;
        var snapshot = harness.State.Current;
        Assert.InRange(snapshot.RetryAt!.Value - time.GetUtcNow(), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
        Assert.StartsWith("reconnecting in ", harness.State.Describe(), StringComparison.Ordinal);

        // Mail that arrives while the source is away is caught up after the (fake-time) backoff.
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("while-away@x"), DateTimeOffset.UtcNow);
        var back = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
        await harness.AdvanceThroughBackOffsAsync(harness.WaitForDeliveredAsync(1), TimeSpan.FromMinutes(1));
        await back;
        Assert.Equal("while-away@x", Assert.Single(harness.Delivered).Message.MessageId);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_DraftWaitingWhileAway_AppendedOnceAfterTheReconnect()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts");
        var options = server.Options(user);
        options.ReconnectDelay = TimeSpan.FromMinutes(1);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var writer = new ImapDraftWriter(new ImapConnector(Microsoft.Extensions.Options.Options.Create(options)), harness.Store, time, NullLogger<ImapDraftWriter>.Instance);
        using var pending = new ImapPendingDrafts(writer, harness.Store, time, NullLogger<ImapPendingDrafts>.Instance);
        using var stop = new CancellationTokenSource();
        var idle = harness.WaitForStateAsync(ImapConnectionStatus.Idle);
        var run = harness.Source.RunAsync(harness.ConsumeAsync, pending.DeliverAsync, stop.Token);
        await idle;
        var reconnecting = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: true);
        server.Kick(user);
        await reconnecting;

        // What the sink records when the writer fails while the connection is down.
        pending.Add("thread-1", "Outbox/reply.md", ImapDraftWriterTests.Draft("Tuesday works."));
        Assert.Equal(1, harness.Store.PendingDraftCount());
        await harness.AdvanceThroughBackOffsAsync(harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true), TimeSpan.FromMinutes(1));
        Assert.Equal(0, harness.Store.PendingDraftCount());
        Assert.NotNull(harness.Store.GetDraft("thread-1"));
        using (var client = await server.ConnectAsync(user))
        {
            var drafts = await client.GetFolderAsync("Drafts");
            await drafts.OpenAsync(FolderAccess.ReadOnly);
            var summary = Assert.Single(await drafts.FetchAsync(0, -1, MessageSummaryItems.Flags));
            Assert.True(summary.Flags!.Value.HasFlag(MessageFlags.Draft));
            await client.DisconnectAsync(true);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_SecondFolder_IsCheckedEveryPollIntervalBesideIdle()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Work");
        var options = server.Options(user, "INBOX", "Work");
        options.PollInterval = TimeSpan.FromMinutes(3);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        await server.AppendAsync(user, "Work", SourceHarness.Mail("work@x"), DateTimeOffset.UtcNow);
        var delivered = harness.WaitForDeliveredAsync(1);
        var idleAgain = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
        time.Advance(options.PollInterval);
        await delivered;

        var message = Assert.Single(harness.Delivered);
        Assert.Equal(("Work", "work@x"), (message.Folder, message.Message.MessageId));
        await idleAgain; // the state is written before the source idles again
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(harness.Store.Get(options.Account, "INBOX"));
        Assert.Equal(1u, harness.Store.Get(options.Account, "Work")!.LastUid);
    }

    [Fact]
    public async Task RunAsync_ServerWithoutIdle_PollsEveryPollInterval()
    {
        var user = server.NewPlainImapUser();
        var options = server.Options(user);
        options.PollInterval = TimeSpan.FromSeconds(45);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var polling = harness.WaitForStateAsync(ImapConnectionStatus.Polling);
        var run = harness.Source.RunAsync(harness.ConsumeAsync, stop.Token);
        await polling;

        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("polled@x"), DateTimeOffset.UtcNow);
        Assert.Empty(harness.Delivered);
        var delivered = harness.WaitForDeliveredAsync(1);
        var pollingAgain = harness.WaitForStateAsync(ImapConnectionStatus.Polling, next: true);
        time.Advance(options.PollInterval);
        await delivered;
        await pollingAgain;

        Assert.Equal("polled@x", Assert.Single(harness.Delivered).Message.MessageId);
        Assert.DoesNotContain(ImapConnectionStatus.Idle, harness.History);
        Assert.Equal("connected, polling", harness.State.Describe());
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_ServerUnreachable_KeepsRetryingWithoutThrowing()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.Port = ClosedPort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var reconnecting = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting);
        var run = harness.Source.RunAsync(harness.ConsumeAsync, stop.Token);
        await reconnecting;

        var again = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: true);
        while (!again.IsCompleted)
        {
            time.Advance(options.ReconnectMaxDelay);
            await Task.WhenAny(again, Task.Delay(20));
        }

        await again;
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ImapConnectionStatus.Stopped, harness.State.Current.Status);

        // Never connected, so nothing was "lost": each failed attempt says the server cannot be reached.
        var warnings = harness.Log.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.True(warnings.Count >= 2, string.Join("\n", warnings));
        Assert.All(warnings, w => Assert.Contains($"IMAP server 127.0.0.1:{options.Port} cannot be reached", w, StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_LongOutageWithDefaultDelays_NeverWaitsMoreThanTenSecondsBetweenAttempts()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        var defaults = new ImapOptions();
        (options.ReconnectDelay, options.ReconnectMaxDelay) = (defaults.ReconnectDelay, defaults.ReconnectMaxDelay);
        options.Port = ClosedPort();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var waits = new List<TimeSpan>();
        var run = harness.Source.RunAsync(harness.ConsumeAsync, stop.Token);

        // Ten failed attempts: a minute and more of outage, where the doubling alone would reach minutes.
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var next = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: attempt > 0);
            while (!next.IsCompleted)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(next, Task.Delay(20));
            }

            await next;
            waits.Add(harness.State.Current.RetryAt!.Value - time.GetUtcNow());
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RunAsync_ReplyFiledIntoSentWhileIdlingOnInbox_HandedOverWithoutWaitingForTheNextWakeUp()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Sent");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow); // never advanced: no IDLE refresh, no poll
        using var harness = new SourceHarness(server.Options(user), time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        await server.AppendAsync(user, "Sent", SourceHarness.Mail("my-reply@x", "Re: Question"), DateTimeOffset.UtcNow);
        await harness.WaitForDeliveredAsync(1);

        var reply = Assert.Single(harness.Delivered);
        Assert.Equal(("Sent", "my-reply@x"), (reply.Folder, reply.Message.MessageId));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CatchUpOnceAsync_ConfiguredSentFolderMissing_ReadsTheSpecialUseSentAndSaysSoOnce()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Sent"); // marked \Sent by the server
        await server.AppendAsync(user, "Sent", SourceHarness.Mail("my-reply@x", "Re: Question"), Recent);
        var options = server.Options(user);
        options.SentFolder = "Sent Items"; // another provider's name
        using var harness = new SourceHarness(options);

        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);
        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);

        var reply = Assert.Single(harness.Delivered);
        Assert.True(reply.FromSent);
        var warning = Assert.Single(harness.Log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(
            "IMAP folder Sent Items (ReplyDrafter:Imap:SentFolder) does not exist; your sent mail is read from Sent, the folder the server marks as Sent (SPECIAL-USE)",
            warning.Message);
    }

    [Fact]
    public async Task CatchUpOnceAsync_ConfiguredSentFolderMissingAndNoneMarked_NamesTheSentFolderKeyOnce()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.SentFolder = "Sent Items";
        using var harness = new SourceHarness(options);

        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);
        await harness.Source.CatchUpOnceAsync(harness.ConsumeAsync, default);

        var warning = Assert.Single(harness.Log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.StartsWith("IMAP folder Sent Items (ReplyDrafter:Imap:SentFolder) does not exist and the server marks no folder as Sent", warning.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task RunAsync_WrongPassword_StopsOnceWithAClearReasonAndNoRetry()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.Password = "wrong";
        using var harness = new SourceHarness(options, new FakeTimeProvider(DateTimeOffset.UtcNow));

        await harness.Source.RunAsync(harness.ConsumeAsync, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var state = harness.State.Current;
        Assert.Equal(ImapConnectionStatus.AuthFailed, state.Status);
        Assert.Contains($"127.0.0.1:{server.Port}", state.Reason, StringComparison.Ordinal);
        Assert.Contains($"'{user.Name}'", state.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", state.Reason, StringComparison.Ordinal);
        Assert.Single(harness.History, s => s == ImapConnectionStatus.Connecting);
        Assert.StartsWith("auth failed: ", harness.State.Describe(), StringComparison.Ordinal);
        var once = await Assert.ThrowsAsync<ImapLoginException>(() => harness.NewSource().CatchUpOnceAsync(harness.ConsumeAsync, default));
        Assert.Equal(ImapLoginFailure.Credentials, once.Failure);
    }
}
