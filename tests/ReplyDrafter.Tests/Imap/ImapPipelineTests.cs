using System.Globalization;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Imap;

/// <summary>The mailbox through the whole pipeline: <c>run --once</c> against a real Dovecot and the fake LLM.</summary>
[Collection(DovecotGroup.Name)]
public sealed partial class ImapPipelineTests(DovecotServer server)
{
    private const string Alice = "alice@example.com";

    // Inside the default 7-day Since window of the in-process clock.
    private static readonly DateTimeOffset Arrived = NoonClock.Start.AddHours(-2);

    [Fact]
    public async Task RunOnce_MessageInImapInbox_NoteOutboxDraftAndThreadedServerDraft()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("q2@example.com", "Re: Meeting", "Does Tuesday work?", "q1@example.com").Build(), Arrived);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Single(harness.Notes());
        Assert.Single(harness.Drafts());
        var (draft, flags) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.True(flags.HasFlag(MessageFlags.Draft));
        Assert.Equal("q2@example.com", draft.InReplyTo);
        Assert.Equal(["q1@example.com", "q2@example.com"], draft.References);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(draft.From));
        Assert.Equal((DaemonHarness.MyName, DaemonHarness.MyEmail), (from.Name, from.Address));
        Assert.Equal(Alice, Assert.IsType<MailboxAddress>(Assert.Single(draft.To)).Address);
        Assert.Equal("Re: Meeting", draft.Subject);
        Assert.Contains("Analytical Engines Ltd", draft.TextBody, StringComparison.Ordinal);
        Assert.Contains("> Does Tuesday work?", draft.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_AddressesInsideDisplayNames_StayNamesInOutboxAndServerDraft()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        var message = Question("names@example.com", "Rota", "Can you take the Friday shift?").Build();
        message.From.Clear();
        message.From.Add(new MailboxAddress("alice@corp.example via Team", "team@lists.corp.example"));
        message.Cc.Add(new MailboxAddress("Carol <attacker@evil.example>", "carol@corp.example"));
        // The same trick as an RFC 2047 encoded word: "Dave <attacker2@evil.example>".
        message.Headers.Add("Cc", "=?utf-8?Q?Dave_=3Cattacker2=40evil=2Eexample=3E?= <dave@corp.example>");
        await server.AppendAsync(user, "INBOX", message, Arrived);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        var outbox = Frontmatter.Read(File.ReadAllText(harness.Vault.Path(Assert.Single(harness.Drafts()))));
        Assert.Equal("\"alice@corp.example via Team\" <team@lists.corp.example>", outbox.GetString("to"));
        Assert.Equal(
            ["\"Carol <attacker@evil.example>\" <carol@corp.example>", "\"Dave <attacker2@evil.example>\" <dave@corp.example>"],
            outbox.GetStrings("cc"));
        // Read back as a client would, each frontmatter value is still one mailbox with the name as its name.
        Assert.Equal(["team@lists.corp.example"], InternetAddressList.Parse(outbox.GetString("to")!).Mailboxes.Select(m => m.Address));
        var (draft, flags) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.Equal(
            [("alice@corp.example via Team", "team@lists.corp.example")],
            draft.To.Mailboxes.Select(m => (m.Name, m.Address)));
        Assert.Equal(
            [("Carol <attacker@evil.example>", "carol@corp.example"), ("Dave <attacker2@evil.example>", "dave@corp.example")],
            draft.Cc.Mailboxes.Select(m => (m.Name, m.Address)));
        Assert.True(flags.HasFlag(MessageFlags.Draft | MessageFlags.Seen));
    }

    [Fact]
    public async Task RunOnce_NonAsciiDraft_AppendedSeenQuotedPrintableWithoutInternalHeaders()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Server.Responder = request => FakeLlmReply.Json(request.SchemaName == "draft-reply"
            ? """{"key_points": [], "body": "Grüße, ça va — gern am Dienstag."}"""
            : FakeLlmServer.CannedNote(replyNeeded: true));
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("qp@example.com", "Termin", "Passt Dienstag?").Build(), Arrived);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        var (draft, flags) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen, flags & (MessageFlags.Draft | MessageFlags.Seen));
        var text = Assert.IsType<TextPart>(draft.Body);
        Assert.Equal(ContentEncoding.QuotedPrintable, text.ContentTransferEncoding);
        Assert.StartsWith("Grüße, ça va — gern am Dienstag.", text.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Headers, header => header.Field.StartsWith("X-ReplyDrafter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RunOnce_MessageOverMaxItemBytes_SkippedUnfetchedWithAReasonStatusShows()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        harness.Settings.Add("--ReplyDrafter:Inbox:MaxItemBytes=8192");
        await server.AppendAsync(user, "INBOX", Question("big@example.com", "Big", "Can you read this? " + new string('x', 20_000)).Build(), Arrived);
        await server.AppendAsync(user, "INBOX", Question("small@example.com", "Small", "Can you read this?").Build(), Arrived);

        await harness.RunOnceAsync();
        var (again, _, againError) = await harness.RunOnceAsync();

        Assert.True(again == 0, againError); // the skipped message is not tried again
        Assert.Single(harness.Notes());
        Assert.Equal(2, harness.Server.ChatRequestCount); // the small message's note and draft only
        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        Assert.True(code == 0, error);
        var failed = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("imap").GetProperty("failed").EnumerateArray().ToList());
        Assert.Equal("INBOX #1", failed.GetProperty("name").GetString());
        Assert.Contains("ReplyDrafter:Inbox:MaxItemBytes", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var (_, text, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));
        Assert.Contains("INBOX #1: The message is", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_SixWaitingMessages_ModelCalledInParallel()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Server.ResponseDelay = TimeSpan.FromMilliseconds(200);
        var user = await ConfigureAsync(harness, server.NewUser());
        for (int i = 0; i < 6; i++)
        {
            await server.AppendAsync(user, "INBOX", Question(string.Create(CultureInfo.InvariantCulture, $"p{i}@example.com"), "Topic " + i, "Can we talk about topic " + i + "?").Build(), Arrived);
        }

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Equal(6, harness.Notes().Count);
        Assert.True(harness.Server.MaxConcurrentRequests > 1, $"at most {harness.Server.MaxConcurrentRequests} model call(s) at a time");
    }

    [Fact]
    public async Task RunOnce_FullRun_SourceMessagesNeverMarkedSeen()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("s1@example.com", "Invoice", "Can you pay the invoice?").Build(), Arrived);
        await server.AppendAsync(user, "INBOX", Question("s2@example.com", "Lunch", "Lunch tomorrow?").Build(), Arrived);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Equal(2, harness.Notes().Count);
        var inbox = await FolderAsync(user, "INBOX");
        Assert.Equal(2, inbox.Count);
        Assert.All(inbox, m => Assert.False(m.Flags.HasFlag(MessageFlags.Seen)));
    }

    [Fact]
    public async Task RunOnce_SameMessageInInboxFolderAndOverImap_OneNoteOneDraft()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        var message = Question("both@example.com", "Contract", "Can you sign the contract?");
        harness.Drop(message, "contract.eml");
        await server.AppendAsync(user, "INBOX", message.Build(), Arrived);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Single(harness.Notes());
        Assert.Single(harness.Drafts());
        Assert.Single(harness.Vault.Files("Sources/Email"));
        Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.Equal(2, harness.Server.ChatRequestCount); // one note, one draft
    }

    [Fact]
    public async Task RunOnce_NewerMessageInThread_ReplacesOurUntouchedServerDraft()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("t1@example.com", "Offsite", "Where is the offsite?").Build(), Arrived);
        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 0, firstError);
        var older = Assert.Single(await FolderAsync(user, "Drafts")).Message.MessageId;

        await server.AppendAsync(user, "INBOX", Question("t2@example.com", "Re: Offsite", "Any news?", "t1@example.com").Build(), Arrived.AddMinutes(30));
        var (second, _, secondError) = await harness.RunOnceAsync();

        Assert.True(second == 0, secondError);
        var (draft, _) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.NotEqual(older, draft.MessageId);
        Assert.Equal("t2@example.com", draft.InReplyTo);
        Assert.Contains($"IMAP draft {older} superseded", secondError, StringComparison.Ordinal);
        Assert.DoesNotContain("replaced: False", secondError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_ServerDraftEditedByUser_IsLeftAloneWhenANewerDraftComes()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("e1@example.com", "Budget", "Send the budget?").Build(), Arrived);
        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 0, firstError);
        string edited = await EditDraftAsync(user, "My own words.");

        await server.AppendAsync(user, "INBOX", Question("e2@example.com", "Re: Budget", "Any news?", "e1@example.com").Build(), Arrived.AddMinutes(30));
        var (second, _, secondError) = await harness.RunOnceAsync();

        Assert.True(second == 0, secondError);
        var drafts = await FolderAsync(user, "Drafts");
        Assert.Equal(2, drafts.Count);
        Assert.Contains(drafts, d => d.Message.MessageId == edited && (d.Message.TextBody ?? "").StartsWith("My own words.", StringComparison.Ordinal));
        Assert.Contains(drafts, d => d.Message.InReplyTo == "e2@example.com");
    }

    [Fact]
    public async Task RunOnce_EverythingLostButTheAppend_NoSecondServerCopy()
    {
        // The state a crash between the APPEND and the commit leaves: the draft is on the server, nothing local knows.
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.AppendAsync(user, "INBOX", Question("c1@example.com", "Keys", "Where are the keys?").Build(), Arrived);
        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 0, firstError);
        Assert.Single(await FolderAsync(user, "Drafts"));
        foreach (var file in Directory.EnumerateFiles(harness.Vault.Layout.State, "*.db*"))
        {
            File.Delete(file);
        }

        var (second, _, secondError) = await harness.RunOnceAsync();

        Assert.True(second == 0, secondError);
        Assert.Equal(4, harness.Server.ChatRequestCount); // the thread really was drafted again
        Assert.Single(await FolderAsync(user, "Drafts"));
    }

    [Fact]
    public async Task RunOnce_MyReplyInTheSentFolder_OutboxDraftMarkedAndOurServerDraftWithdrawn()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await server.CreateFolderAsync(user, "Sent"); // marked \Sent by the server's SPECIAL-USE config
        await server.AppendAsync(user, "INBOX", Question("m1@example.com", "Dinner", "Dinner on Friday?").Build(), Arrived);
        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 0, firstError);
        Assert.Single(await FolderAsync(user, "Drafts"));

        var mine = MimeMessageBuilder.Create().MessageId("m2@example.com").From(DaemonHarness.MyName, DaemonHarness.MyEmail).To("Alice", Alice)
            .Subject("Re: Dinner").Date(Arrived.AddMinutes(10)).PlainBody("Yes, gladly.").ReplyTo("m1@example.com");
        await server.AppendAsync(user, "Sent", mine.Build(), Arrived.AddMinutes(10));
        var (second, _, secondError) = await harness.RunOnceAsync();

        Assert.True(second == 0, secondError);
        Assert.Single(harness.Notes());
        // The Outbox draft stays, marked with what became of it (issue 9); the server copy is withdrawn.
        var draft = await File.ReadAllTextAsync(harness.Vault.Path(Assert.Single(harness.Drafts())));
        Assert.Matches("(?m)^status: (sent|edited|rewritten)$", draft);
        Assert.Contains("sent_similarity: ", draft, StringComparison.Ordinal);
        Assert.Empty(await FolderAsync(user, "Drafts"));
        Assert.Equal(2, harness.Vault.Files("Sources/Email").Count);
    }

    [Fact]
    public async Task RunOnce_WrongPassword_Exit2WithOneLineAndFolderItemsStillProcessed()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = server.NewUser();
        await ConfigureAsync(harness, user with { Password = "not-the-password" }, createDrafts: false);
        harness.Drop(Question("w1@example.com", "Report", "Can you send the report?"), "report.eml");

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.Equal(2, code);
        Assert.Single(harness.Notes());
        Assert.Empty(harness.InboxLeft());
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        // The log line itself is asserted by the child-process daemon test (in-process hosts share Serilog's static logger).
        var (statusCode, status, statusError) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        Assert.True(statusCode == 0, statusError);
        string state = JsonDocument.Parse(status).RootElement.GetProperty("imap").GetProperty("state").GetString() ?? "";
        Assert.StartsWith("auth failed: ", state, StringComparison.Ordinal);
        Assert.Contains(user.Name, state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AfterRunOnce_JsonShowsTheImapConnection()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        var (run, _, runError) = await harness.RunOnceAsync();
        Assert.True(run == 0, runError);

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        var imap = JsonDocument.Parse(output).RootElement.GetProperty("imap");
        Assert.True(imap.GetProperty("configured").GetBoolean());
        Assert.Equal($"{user.Name}@127.0.0.1:{server.Port}", imap.GetProperty("account").GetString());
        Assert.Equal("stopped", imap.GetProperty("state").GetString());
    }

    [Fact]
    public async Task RunOnce_ServerDownWhenDrafted_DraftAppendedExactlyOnceOnceItIsBack()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser(), port: ClosedPort());
        harness.Drop(Question("p1@example.com", "Visit", "Can you visit on Monday?"), "visit.eml");
        var (down, _, downError) = await harness.RunOnceAsync();
        Assert.True(down == 1, downError); // the mailbox could not be read
        Assert.Single(harness.Drafts());
        Assert.Equal(1, await PendingDraftsAsync(harness));

        UsePort(harness, server.Port);
        var (up, _, upError) = await harness.RunOnceAsync();
        var (again, _, againError) = await harness.RunOnceAsync();

        Assert.True(up == 0, upError);
        Assert.True(again == 0, againError);
        var (draft, flags) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.True(flags.HasFlag(MessageFlags.Draft));
        Assert.Equal("p1@example.com", draft.InReplyTo);
        Assert.Contains("> Can you visit on Monday?", draft.TextBody, StringComparison.Ordinal);
        Assert.Equal(1u, await AppendedAsync(user, "Drafts"));
        Assert.Equal(0, await PendingDraftsAsync(harness));
    }

    [Fact]
    public async Task RunOnce_WaitingDraftSupersededByNewerOne_OnlyTheNewerIsAppended()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser(), port: ClosedPort());
        harness.Drop(Question("n1@example.com", "Plans", "What are the plans?"), "plans.eml");
        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 1, firstError);
        harness.Drop(Question("n2@example.com", "Re: Plans", "Any news on the plans?", "n1@example.com"), "plans-2.eml");
        var (second, _, secondError) = await harness.RunOnceAsync();
        Assert.True(second == 1, secondError);
        Assert.Equal(1, await PendingDraftsAsync(harness));

        UsePort(harness, server.Port);
        var (up, _, upError) = await harness.RunOnceAsync();

        Assert.True(up == 0, upError);
        var (draft, _) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.Equal("n2@example.com", draft.InReplyTo);
        Assert.Equal(1u, await AppendedAsync(user, "Drafts")); // the older one was not appended and removed again
        Assert.Equal(0, await PendingDraftsAsync(harness));
    }

    /// <summary>How many messages were ever appended to the folder (UIDs are never reused).</summary>
    private async Task<uint> AppendedAsync(DovecotUser user, string name)
    {
        using var client = await server.ConnectAsync(user);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        uint next = folder.UidNext?.Id ?? 1;
        await client.DisconnectAsync(true);
        return next - 1;
    }

    /// <summary>A free loopback port with nothing listening: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void UsePort(DaemonHarness harness, int port)
    {
        harness.Settings.RemoveAll(s => s.StartsWith("--ReplyDrafter:Imap:Port=", StringComparison.Ordinal));
        harness.Settings.Add("--ReplyDrafter:Imap:Port=" + port.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<int> PendingDraftsAsync(DaemonHarness harness)
    {
        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.GetProperty("imap").GetProperty("pending_drafts").GetInt32();
    }

    /// <summary>Points the harness at the user's mailbox, with a Drafts folder (marked \Drafts by the server's config).</summary>
    private async Task<DovecotUser> ConfigureAsync(DaemonHarness harness, DovecotUser user, bool createDrafts = true, int? port = null)
    {
        if (createDrafts)
        {
            await server.CreateFolderAsync(user, "Drafts");
        }

        harness.Settings.AddRange(
        [
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + (port ?? server.Port).ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:Password=" + user.Password,
        ]);
        return user;
    }

    private static MimeMessageBuilder Question(string id, string subject, string body, string? parent = null)
    {
        var builder = MimeMessageBuilder.ToMe(id, subject, body, "Alice", Alice, Arrived.AddMinutes(-5));
        return parent is null ? builder : builder.ReplyTo(parent);
    }

    private async Task<List<(MimeMessage Message, MessageFlags Flags)>> FolderAsync(DovecotUser user, string name)
    {
        using var client = await server.ConnectAsync(user);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var result = new List<(MimeMessage, MessageFlags)>();
        if (folder.Count > 0)
        {
            foreach (var summary in await folder.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags))
            {
                if (summary.Flags?.HasFlag(MessageFlags.Deleted) != true)
                {
                    result.Add((await folder.GetMessageAsync(summary.UniqueId), summary.Flags ?? MessageFlags.None));
                }
            }
        }

        await client.DisconnectAsync(true);
        return result;
    }

    /// <summary>What a client that keeps the Message-ID does on save: the edited copy replaces ours.</summary>
    private async Task<string> EditDraftAsync(DovecotUser user, string text)
    {
        using var client = await server.ConnectAsync(user);
        var drafts = await client.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        var uid = Assert.Single(await drafts.SearchAsync(MailKit.Search.SearchQuery.All));
        var message = await drafts.GetMessageAsync(uid);
        Assert.IsType<TextPart>(message.Body).Text = text + "\n\n" + (message.TextBody ?? "");
        await drafts.AppendAsync(message, MessageFlags.Draft);
        await drafts.AddFlagsAsync(uid, MessageFlags.Deleted, silent: true);
        await drafts.ExpungeAsync([uid]);
        await client.DisconnectAsync(true);
        return message.MessageId ?? "";
    }
}
