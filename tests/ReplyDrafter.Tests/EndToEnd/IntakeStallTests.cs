using System.Globalization;
using MailKit;
using ReplyDrafter.Imap;
using ReplyDrafter.Tests.Imap;
using ReplyDrafter.Tests.Resilience;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.EndToEnd;

/// <summary>
/// <c>run</c> (in the test process; a child process where it is killed), the inbox folder and a real Dovecot together,
/// with one model call that does not answer: it must cost only its own thread, and a crash in the middle of an IMAP
/// batch must lose nothing.
/// </summary>
[Collection(DovecotGroup.Name)]
public sealed class IntakeStallTests(DovecotServer server)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Run_OneModelCallHangs_FolderAndImapMailMeanwhileDraftedAndTheReplyPairsWithItsDraft()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        harness.Server.HoldWhen = request => request.SchemaName == "draft-reply" && request.Body.Contains("Zanzibar", StringComparison.Ordinal);

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        harness.Drop(MimeMessageBuilder.ToMe("hung@x", "Zanzibar budget", "Can you send the Q3 budget?", "Alice", "alice@example.com"), "hung.eml");
        await harness.Server.Held.WaitAsync(s_timeout);

        harness.Drop(Question("f1@x"), "f1.eml");
        harness.Drop(Question("f2@x"), "f2.eml");
        await server.AppendAsync(user, "INBOX", Question("i1@x").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await server.AppendAsync(user, "INBOX", Question("i2@x").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await daemon.WaitUntilAsync(() => harness.Drafts().Count == 4, s_timeout, "the mail that arrived during the hung call was not drafted");

        // The user answers the held thread meanwhile: it is filed at once, and waits for the thread's running draft.
        harness.DropSent(
            MimeMessageBuilder.Create().MessageId("r-hung@x").From(DaemonHarness.MyName, DaemonHarness.MyEmail).To("Alice", "alice@example.com")
                .Subject("Re: Zanzibar budget").Date(new DateTimeOffset(2025, 12, 2, 10, 0, 0, TimeSpan.Zero))
                .PlainBody("Hi Alice,\n\nThanks for the reminder. I will send the revised Q3 budget by Thursday evening.")
                .ReplyTo("hung@x"),
            "r-hung.eml");
        await harness.WaitForFilesAsync("Sources", 6, s_timeout, "the reply was not filed during the hung call");

        Assert.Contains(harness.Drafts(), d => d.Contains("i1", StringComparison.Ordinal));
        Assert.Contains(harness.Drafts(), d => d.Contains("i2", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Drafts(), d => d.Contains("Zanzibar", StringComparison.Ordinal));

        harness.Server.ReleaseHeld();
        await daemon.WaitUntilAsync(
            () => harness.Drafts().FirstOrDefault(d => d.Contains("Zanzibar", StringComparison.Ordinal)) is { } draft
                && harness.FrontmatterOf(draft).GetValueOrDefault("status") as string == "sent",
            s_timeout,
            "the reply sent during the hung call was not compared with its draft");

        var drafted = harness.Server.ChatRequests.Where(r => r.SchemaName == "draft-reply").ToList();
        Assert.Single(drafted, r => r.Body.Contains("Zanzibar", StringComparison.Ordinal));
        Assert.Equal(5, drafted.Count);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        Assert.DoesNotContain("missed", daemon.Output + daemon.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KilledWhileTheThirdOfFourMessagesHangs_StateStaysAtTwoAndTheRerunDraftsOnlyTheThird()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        foreach (var id in new[] { "c1@x", "c2@x", "c3@x", "c4@x" })
        {
            await server.AppendAsync(user, "INBOX", Question(id).Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        }

        // Its draft, not its note: a hung first request of all would also hold the pacing's cold start (one scout alone).
        harness.Server.HoldWhen = request => request.SchemaName == "draft-reply" && request.Body.Contains("c3@x", StringComparison.Ordinal);

        // The settling of each message is logged at Debug: a line to wake the wait on.
        harness.Settings.Add("--Serilog:MinimumLevel:Override:ReplyDrafter.Imap.ImapItemSource=Debug");
        await using (var daemon = ChildDaemon.Start(harness.Arguments("run")))
        {
            await harness.Server.Held.WaitAsync(s_timeout);
            await daemon.WaitUntilAsync(() => DoneItems(harness).Count == 3, s_timeout, "messages 1, 2 and 4 were not settled beside the hung one");
            await daemon.KillAsync();
            Assert.Equal(["INBOX #1", "INBOX #2", "INBOX #4"], DoneItems(harness));
        }

        var store = new ImapStateStore(harness.Vault.Path(".replydrafter/imap.db"));
        Assert.Equal(2u, store.Get($"{user.Name}@127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "INBOX")?.LastUid);

        int before = harness.Server.ChatRequestCount;
        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Equal(4, harness.Drafts().Count);
        Assert.Equal(4, await CountAsync(user, "Drafts"));
        Assert.Equal(2, harness.Server.ChatRequestCount - before); // message 3's note and draft again; 4 is settled, not drafted again
        Assert.Single(harness.Server.ChatRequests, r => r.SchemaName == "draft-reply" && r.Body.Contains("c4@x", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ImapMessageModelCallHangs_LaterImapMailDraftedMeanwhileThenTheHeldOneOnceAndStateAtTheHighestUid()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        harness.Server.HoldWhen = request => request.SchemaName == "draft-reply" && request.Body.Contains("held-a@x", StringComparison.Ordinal);
        harness.Settings.Add("--Serilog:MinimumLevel:Override:ReplyDrafter.Imap.ImapItemSource=Debug");

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        await server.AppendAsync(user, "INBOX", Question("held-a@x").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await harness.Server.Held.WaitAsync(s_timeout);

        await server.AppendAsync(user, "INBOX", Question("later-b@x").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await daemon.WaitUntilAsync(() => harness.Drafts().Count == 1, s_timeout, "IMAP mail that arrived during the hung call was not drafted");
        Assert.Contains("later-b", Assert.Single(harness.Drafts()), StringComparison.Ordinal);

        harness.Server.ReleaseHeld();
        await daemon.WaitUntilAsync(() => harness.Drafts().Count == 2, s_timeout, "the held message was not drafted once released");
        await daemon.WaitForLogAsync("IMAP message INBOX #1 is done", s_timeout);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));

        Assert.Single(harness.Server.ChatRequests, r => r.SchemaName == "draft-reply" && r.Body.Contains("held-a@x", StringComparison.Ordinal));
        Assert.Single(harness.Server.ChatRequests, r => r.SchemaName == "draft-reply" && r.Body.Contains("later-b@x", StringComparison.Ordinal));
        var store = new ImapStateStore(harness.Vault.Path(".replydrafter/imap.db"));
        Assert.Equal(2u, store.Get($"{user.Name}@127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "INBOX")?.LastUid);
    }

    /// <summary>Read-only, so polling never takes the ledger's write lock from the daemon.</summary>
    private static List<string> DoneItems(DaemonHarness harness)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={harness.Vault.Layout.LedgerPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_name FROM items WHERE state = 'done' ORDER BY file_name";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task<DovecotUser> ConfigureAsync(DaemonHarness harness, DovecotUser user)
    {
        await server.CreateFolderAsync(user, "Drafts");
        harness.Settings.AddRange(
        [
            "--ReplyDrafter:Inbox:RescanInterval=00:00:01",

            // Hung, not slow: the held call outlives the test (the harness's 5 s attempt timeout would retry it).
            "--ReplyDrafter:Llm:AttemptTimeout=00:02:00",
            "--ReplyDrafter:Llm:TotalBudget=00:05:00",
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + server.Port.ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:Password=" + user.Password,
        ]);
        return user;
    }

    private static MimeMessageBuilder Question(string id) =>
        MimeMessageBuilder.ToMe(id, "Question " + id, "Can you help with " + id + "?", "Carol", "carol@example.com", DateTimeOffset.UtcNow.AddMinutes(-5));

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
