using MailKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Imap;
using ReplyDrafter.Tests.Llm;

namespace ReplyDrafter.Tests.Imap;

[Collection(DovecotGroup.Name)]
public sealed class ImapDraftWriterTests(DovecotServer server) : IDisposable
{
    private readonly TempFolder _state = new();
    private readonly List<ImapDraftWriter> _writers = [];

    private static readonly DateTimeOffset Asked = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_FirstDraft_AppendsAThreadedDraftReply()
    {
        var (user, writer) = await DraftsUserAsync();

        var result = await writer.WriteAsync(Draft("Yes, Tuesday works."), supersedes: null, default);

        Assert.Equal(DraftAppendOutcome.Appended, result.Outcome);
        Assert.Equal("Drafts", result.Folder);
        var (message, flags) = Assert.Single(await DraftsAsync(user));
        Assert.True(flags.HasFlag(MessageFlags.Draft));
        Assert.Equal(result.MessageId, message.MessageId);
        Assert.Equal(("Me Myself", "me@example.com"), Only(message.From));
        Assert.Equal(("Alice", "alice@example.com"), Only(message.To));
        Assert.Equal(("Bob", "bob@example.com"), Only(message.Cc));
        Assert.Equal("Re: Meeting", message.Subject);
        Assert.Equal("q2@example.com", message.InReplyTo);
        Assert.Equal(["q1@example.com", "q2@example.com"], message.References);
        var text = Assert.IsType<TextPart>(message.Body);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Equal(
            "Yes, Tuesday works.\n\nBest,\nMe\n\nOn Fri, 27 Nov 2026 at 09:30, Alice wrote:\n> Can we meet?\n>\n> Thanks\n",
            text.Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task WriteAsync_Draft_AppendedSeenWithoutInternalHeaders()
    {
        var (user, writer) = await DraftsUserAsync();

        await writer.WriteAsync(Draft("Yes, Tuesday works."), supersedes: null, default);

        var (message, flags) = Assert.Single(await DraftsAsync(user));
        Assert.True(flags.HasFlag(MessageFlags.Draft | MessageFlags.Seen), flags.ToString());
        Assert.Equal(ContentEncoding.SevenBit, Assert.IsType<TextPart>(message.Body).ContentTransferEncoding);
        Assert.DoesNotContain(message.Headers, header => header.Field.StartsWith("X-ReplyDrafter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WriteAsync_OlderDraftCarryingTheLegacyHashHeader_StillReplacedWhileUntouched()
    {
        var (user, writer) = await DraftsUserAsync();
        // Written by an earlier version: the hash travels in a header and imap.db knows nothing of the draft.
        var old = DraftMessageBuilder.Build(Draft("Maybe.") with { MessageId = "old@example.com" }, quoteOriginal: true);
        old.Headers.Add(DraftMessageBuilder.LegacyBodyHashHeader, DraftMessageBuilder.BodyHash(old.TextBody));
        using (var client = await server.ConnectAsync(user))
        {
            var drafts = await client.GetFolderAsync("Drafts");
            await drafts.OpenAsync(FolderAccess.ReadWrite);
            await drafts.AppendAsync(old, MessageFlags.Draft);
        }

        var newer = await writer.WriteAsync(Draft("Yes."), "old@example.com", default);

        Assert.True(newer.ReplacedPrevious);
        var (message, _) = Assert.Single(await DraftsAsync(user));
        Assert.Equal(newer.MessageId, message.MessageId);
    }

    [Fact]
    public async Task WriteAsync_SameDraftAgainAfterACrashBeforeCommit_DoesNotAddASecondCopy()
    {
        var (user, writer) = await DraftsUserAsync();
        var first = await writer.WriteAsync(Draft("Yes."), null, default);

        // The ledger never heard of the first APPEND: the pipeline writes the same draft again.
        var again = await writer.WriteAsync(Draft("Yes."), null, default);

        Assert.Equal(DraftAppendOutcome.AlreadyPresent, again.Outcome);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Single(await DraftsAsync(user));
    }

    [Fact]
    public async Task WriteAsync_NewerDraft_ReplacesOurUntouchedOlderOne()
    {
        var (user, writer) = await DraftsUserAsync();
        var older = await writer.WriteAsync(Draft("Maybe."), null, default);

        var newer = await writer.WriteAsync(Draft("Yes, definitely."), older.MessageId, default);

        Assert.True(newer.ReplacedPrevious);
        Assert.NotEqual(older.MessageId, newer.MessageId);
        var (message, _) = Assert.Single(await DraftsAsync(user));
        Assert.Equal(newer.MessageId, message.MessageId);
    }

    [Fact]
    public async Task WriteAsync_ServerWithoutUidPlus_OlderDraftOnlyMarkedDeletedNothingElseExpunged()
    {
        var user = server.NewPlainImapUser();
        await server.CreateFolderAsync(user, "Drafts");
        var options = server.Options(user);
        options.DraftsFolder = "Drafts"; // no SPECIAL-USE on this server
        var writer = Writer(options);
        var older = await writer.WriteAsync(Draft("Maybe."), null, default);

        var newer = await writer.WriteAsync(Draft("Yes."), older.MessageId, default);

        Assert.True(newer.ReplacedPrevious);
        var drafts = await DraftsAsync(user);
        Assert.Equal(2, drafts.Count); // a plain EXPUNGE could remove what the user marked deleted: not sent
        Assert.True(drafts.Single(d => d.Message.MessageId == older.MessageId).Flags.HasFlag(MessageFlags.Deleted));
        Assert.False(drafts.Single(d => d.Message.MessageId == newer.MessageId).Flags.HasFlag(MessageFlags.Deleted));
    }

    [Fact]
    public async Task WriteAsync_OlderDraftEditedKeepingItsMessageId_IsLeftAlone()
    {
        var (user, writer) = await DraftsUserAsync();
        var older = await writer.WriteAsync(Draft("Maybe."), null, default);
        await EditInPlaceAsync(user, older.MessageId, "Maybe. Let me check my calendar first.");

        var newer = await writer.WriteAsync(Draft("Yes."), older.MessageId, default);

        Assert.False(newer.ReplacedPrevious);
        var drafts = await DraftsAsync(user);
        Assert.Equal(2, drafts.Count);
        Assert.Contains(drafts, d => d.Message.TextBody?.Contains("check my calendar", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task WriteAsync_OlderDraftSavedAsNewMessageByTheClient_LeavesTheUsersCopy()
    {
        var (user, writer) = await DraftsUserAsync();
        var older = await writer.WriteAsync(Draft("Maybe."), null, default);
        // What clients do on save: a new message with a new Message-ID replaces the old one.
        await EditInPlaceAsync(user, older.MessageId, "Maybe, edited.", newMessageId: "client-saved@example.com");

        var newer = await writer.WriteAsync(Draft("Yes."), older.MessageId, default);

        Assert.False(newer.ReplacedPrevious);
        var ids = (await DraftsAsync(user)).Select(d => d.Message.MessageId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "client-saved@example.com", newer.MessageId }.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task WriteAsync_OlderDraftMovedOutOfDrafts_IsNotTouched()
    {
        var (user, writer) = await DraftsUserAsync();
        await server.CreateFolderAsync(user, "Keep");
        var older = await writer.WriteAsync(Draft("Maybe."), null, default);
        using (var client = await server.ConnectAsync(user))
        {
            var drafts = await client.GetFolderAsync("Drafts");
            await drafts.OpenAsync(FolderAccess.ReadWrite);
            var uids = await drafts.SearchAsync(MailKit.Search.SearchQuery.All);
            await drafts.MoveToAsync(uids, await client.GetFolderAsync("Keep"));
        }

        var newer = await writer.WriteAsync(Draft("Yes."), older.MessageId, default);

        Assert.False(newer.ReplacedPrevious);
        using var check = await server.ConnectAsync(user);
        var keep = await check.GetFolderAsync("Keep");
        await keep.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(1, keep.Count);
    }

    [Fact]
    public async Task WriteAsync_NoDraftsFolderAnywhere_ReportsOutboxOnly()
    {
        var user = server.NewUser();
        var writer = Writer(server.Options(user));

        var result = await writer.WriteAsync(Draft("Yes."), null, default);

        Assert.Equal(DraftAppendOutcome.NoDraftsFolder, result.Outcome);
        Assert.Null(result.Folder);
    }

    [Fact]
    public async Task WriteAsync_DraftsFolderNamedInSettings_IsUsedWithoutSpecialUse()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Entwuerfe");
        var options = server.Options(user);
        options.DraftsFolder = "Entwuerfe";
        var writer = Writer(options);

        var result = await writer.WriteAsync(Draft("Ja."), null, default);

        Assert.Equal("Entwuerfe", result.Folder);
        Assert.Single(await DraftsAsync(user, "Entwuerfe"));
    }

    [Fact]
    public async Task WriteAsync_ConfiguredDraftsFolderMissing_UsesTheSpecialUseFolderAndNamesTheMissingOne()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts"); // marked \Drafts by the server
        var options = server.Options(user);
        options.DraftsFolder = "[Gmail]/Drafts"; // a preset for another provider
        var log = new ListLogger<ImapDraftWriter>();
        var writer = Writer(options, log: log);

        var result = await writer.WriteAsync(Draft("Yes."), null, default);
        await writer.WriteAsync(Draft("Yes, still."), result.MessageId, default);

        Assert.Equal("Drafts", result.Folder);
        Assert.Single(await DraftsAsync(user));
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("[Gmail]/Drafts (ReplyDrafter:Imap:DraftsFolder) does not exist; drafts go to Drafts", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_ConfiguredDraftsFolderMissingAndNoSpecialUse_SaysWhichNameWasNotFound()
    {
        var user = server.NewUser();
        var options = server.Options(user);
        options.DraftsFolder = "Entwuerfe";
        var log = new ListLogger<ImapDraftWriter>();
        var writer = Writer(options, log: log);

        var result = await writer.WriteAsync(Draft("Ja."), null, default);

        Assert.Equal(DraftAppendOutcome.NoDraftsFolder, result.Outcome);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("Entwuerfe (ReplyDrafter:Imap:DraftsFolder) does not exist", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("is empty", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_NoDraftsFolder_SaysSoBeforeTheFirstDraftAndKeepsTheConnectionForIt()
    {
        var user = server.NewUser();
        var log = new ListLogger<ImapDraftWriter>();
        var writer = Writer(server.Options(user), log: log);

        await writer.PrepareAsync(default);

        Assert.True(writer.IsConnected);
        Assert.Contains("wait in imap.db until the folder exists", Assert.Single(log.Entries, e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
        await server.CreateFolderAsync(user, "Drafts");
        Assert.Equal(DraftAppendOutcome.Appended, (await writer.WriteAsync(Draft("Yes."), null, default)).Outcome);
        Assert.Single(await DraftsAsync(user));
    }

    [Fact]
    public async Task WriteAsync_SeveralDrafts_OneConnectionAndOneLogin()
    {
        var (user, writer) = await DraftsUserAsync();

        var first = await writer.WriteAsync(Draft("Maybe."), null, default);
        await writer.WriteAsync(Draft("Yes."), first.MessageId, default);
        await writer.WithdrawAsync("not-ours@example.com", default);

        Assert.True(writer.IsConnected);
        Assert.Equal(1 + 1, await server.LoginCountAsync(user, 2)); // the Drafts folder's creation, then the writer's one
        Assert.Single(await DraftsAsync(user));
    }

    [Fact]
    public async Task WriteAsync_ConnectionIdleForIdleClose_LoggedOutAndTheNextDraftLogsInAgain()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var writer = Writer(server.Options(user), time);
        await writer.WriteAsync(Draft("Maybe."), null, default);

        time.Advance(ImapDraftWriter.IdleClose - TimeSpan.FromSeconds(1));
        Assert.True(writer.IsConnected);
        time.Advance(TimeSpan.FromSeconds(1));
        await writer.IdleClosed;

        Assert.False(writer.IsConnected);
        var next = await writer.WriteAsync(Draft("Yes.") with { MessageId = "second@example.com" }, null, default);
        Assert.Equal(DraftAppendOutcome.Appended, next.Outcome);
        Assert.Equal(1 + 2, await server.LoginCountAsync(user, 3)); // the Drafts folder's creation, then the writer's two
    }

    [Fact]
    public async Task WriteAsync_ServerDroppedTheKeptConnection_ReconnectsAndAppends()
    {
        var (user, writer) = await DraftsUserAsync();
        await writer.WriteAsync(Draft("Maybe."), null, default);
        server.Kick(user);

        var next = await writer.WriteAsync(Draft("Yes.") with { MessageId = "after-kick@example.com" }, null, default);

        Assert.Equal(DraftAppendOutcome.Appended, next.Outcome);
        Assert.Equal(2, (await DraftsAsync(user)).Count);
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }

        _state.Dispose();
    }

    /// <summary>Disposed with the test class: each keeps its connection open until then.</summary>
    private ImapDraftWriter Writer(ImapOptions options, TimeProvider? time = null, ListLogger<ImapDraftWriter>? log = null)
    {
        var writer = new ImapDraftWriter(
            new ImapConnector(Options.Create(options)), new ImapStateStore(_state.Combine("imap.db")), time ?? TimeProvider.System, (ILogger<ImapDraftWriter>?)log ?? NullLogger<ImapDraftWriter>.Instance);
        _writers.Add(writer);
        return writer;
    }

    private static (string? Name, string Address) Only(InternetAddressList list)
    {
        var mailbox = Assert.IsType<MailboxAddress>(Assert.Single(list));
        return (mailbox.Name, mailbox.Address);
    }

    internal static DraftReply Draft(string response) => new(
        new MailboxAddress("Me Myself", "me@example.com"),
        [new MailboxAddress("Alice", "alice@example.com")],
        [new MailboxAddress("Bob", "bob@example.com")],
        "Re: Meeting",
        "<q2@example.com>",
        ["<q1@example.com>", "<q2@example.com>"],
        response,
        "Best,\nMe",
        new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero),
        new QuotedOriginal(Asked, "Alice", "Can we meet?\n\nThanks"));

    private async Task<(DovecotUser User, ImapDraftWriter Writer)> DraftsUserAsync()
    {
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts"); // marked \Drafts by the server's SPECIAL-USE config
        var writer = Writer(server.Options(user));
        return (user, writer);
    }

    private async Task<List<(MimeMessage Message, MessageFlags Flags)>> DraftsAsync(DovecotUser user, string folder = "Drafts")
    {
        using var client = await server.ConnectAsync(user);
        var drafts = await client.GetFolderAsync(folder);
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var list = new List<(MimeMessage, MessageFlags)>();
        foreach (var summary in await drafts.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags))
        {
            list.Add((await drafts.GetMessageAsync(summary.UniqueId), summary.Flags!.Value));
        }

        return list;
    }

    /// <summary>The user edits our draft in a client: the edited copy replaces ours (same or new Message-ID).</summary>
    private async Task EditInPlaceAsync(DovecotUser user, string messageId, string newBody, string? newMessageId = null)
    {
        using var client = await server.ConnectAsync(user);
        var drafts = await client.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        var uids = await drafts.SearchAsync(MailKit.Search.SearchQuery.HeaderContains("Message-ID", messageId));
        var ours = await drafts.GetMessageAsync(uids[0]);
        ((TextPart)ours.Body!).Text = newBody;
        ours.MessageId = newMessageId ?? messageId;
        await drafts.AppendAsync(ours, MessageFlags.Draft | MessageFlags.Seen);
        await drafts.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
        await drafts.ExpungeAsync(uids);
    }
}
