using System.Diagnostics;
using System.Text;
using ReplyDrafter.Inbox;
using ReplyDrafter.Llm;
using ReplyDrafter.Security;
using ReplyDrafter.Tests.Processing;

namespace ReplyDrafter.Tests.Inbox;

/// <summary>The inbox as a source through the real pipeline: half-written files, links and special files, limits.</summary>
public sealed class InboxIntakeTests : IDisposable
{
    private readonly PipelineHarness _pipeline = new();
    private readonly TempFolder _outside = new();

    public void Dispose()
    {
        _pipeline.Dispose();
        _outside.Dispose();
    }

    private static string Eml(string id, string subject, string body, string headers = "", string to = "Me Myself <" + PipelineHarness.MyEmail + ">") =>
        $"From: Bob Sender <bob@example.com>\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Mon, 05 Jan 2026 08:00:00 +0000\r\n" +
        $"Message-ID: <{id}>\r\n{headers}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n";

    private string Prompts => string.Join("\n", _pipeline.Llm.Requests.SelectMany(r => r.Messages).Select(m => m.Text));

    private string VaultText(string folder) =>
        string.Join("\n", _pipeline.Vault.Files(folder).Select(f => File.ReadAllText(_pipeline.Vault.Path(f))));

    [Fact]
    public async Task Read_FileWrittenInTwoParts_ReadAgainSoNoteSourceAndArchiveHoldTheWholeMessage()
    {
        const string PartTwo = "PART-TWO: and the signed contract, please.";
        var full = Eml("grow@example.com", "Contract", "PART-ONE: Could you send the numbers?\r\n" + PartTwo);
        var cut = full.IndexOf("PART-TWO", StringComparison.Ordinal);
        var path = _pipeline.WriteToInbox("grow.eml", Encoding.UTF8.GetBytes(full[..cut]));

        // The pipeline reads part 1; the writer then adds part 2 before the item is settled.
        var (items, _) = _pipeline.Source.Read([path], moveItems: true, progress: null, CancellationToken.None);
        File.AppendAllText(path, full[cut..]);
        await _pipeline.Runner.ProcessAsync(items, null, CancellationToken.None, CancellationToken.None);

        Assert.True(File.Exists(path), "a file that grew after it was read must not be archived half-read");
        Assert.Equal(1, _pipeline.Source.TakeGrown());

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        Assert.False(File.Exists(path));
        var archived = Assert.Single(_pipeline.Vault.Files("Inbox/_archive"));
        Assert.Equal(full, File.ReadAllText(_pipeline.Vault.Path(archived)));
        Assert.Contains(PartTwo, VaultText("Sources"), StringComparison.Ordinal);
        var lastNoteRequest = _pipeline.Llm.Requests.Last(r => r.Step == "thread-note");
        Assert.Contains(PartTwo, string.Join("\n", lastNoteRequest.Messages.Select(m => m.Text)), StringComparison.Ordinal);
        Assert.Single(_pipeline.Vault.Files("Notes"));
        Assert.Single(_pipeline.Vault.Files("Sources"));
    }

    [Fact]
    public async Task Fail_FileGrewAfterReading_ReadAgainInsteadOfPutAside()
    {
        _pipeline.Llm.Answer = _ => throw new LlmException(LlmFailureKind.Rejected, "The model refused the first half.");
        var path = _pipeline.WriteToInbox("half.eml", Encoding.UTF8.GetBytes(Eml("half@example.com", "Half", "PART-ONE")));
        var (items, _) = _pipeline.Source.Read([path], moveItems: true, progress: null, CancellationToken.None);
        File.AppendAllText(path, "PART-TWO\r\n");

        var outcome = await _pipeline.Runner.ProcessAsync(items, null, CancellationToken.None, CancellationToken.None);

        Assert.Equal(1, outcome.Failed);
        Assert.Equal(1, _pipeline.Source.TakeGrown());
        Assert.True(File.Exists(path));
        Assert.DoesNotContain(_pipeline.Vault.Files(), f => f.EndsWith(".error.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_SymlinkToFileOutsideTheVault_FailsAndItsContentReachesNeitherTheLlmNorTheVault()
    {
        var secret = _outside.WriteBytes("secret.eml", Encoding.UTF8.GetBytes(Eml("secret@example.com", "Secret", "TOP-SECRET-CONTENT")));
        File.CreateSymbolicLink(Path.Combine(_pipeline.Vault.Layout.Inbox, "passwd.eml"), secret);
        _pipeline.WriteToInbox("ok.eml", Encoding.UTF8.GetBytes(Eml("ok@example.com", "Fine", "An ordinary question?")));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        Assert.Equal(1, outcome.Failed);
        Assert.DoesNotContain("TOP-SECRET-CONTENT", Prompts, StringComparison.Ordinal);
        // The link itself is put aside in _failed/ (a link, not a copy); no file the vault holds has the content.
        var written = _pipeline.Vault.Files().Where(f => new FileInfo(_pipeline.Vault.Path(f)).LinkTarget is null).ToList();
        Assert.NotEmpty(written);
        Assert.DoesNotContain(written, f => File.ReadAllText(_pipeline.Vault.Path(f)).Contains("TOP-SECRET-CONTENT", StringComparison.Ordinal));
        var note = _pipeline.Vault.Files().Single(f => f.EndsWith("passwd.eml.error.md", StringComparison.Ordinal));
        Assert.Contains("symbolic link", File.ReadAllText(_pipeline.Vault.Path(note)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_SymlinkToDevZero_FailsWithTheReasonAtOnce()
    {
        File.CreateSymbolicLink(Path.Combine(_pipeline.Vault.Layout.Inbox, "zero.eml"), "/dev/zero");

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Failed);
        var reason = Assert.Single(_pipeline.Vault.Files(), f => f.EndsWith("zero.eml.error.md", StringComparison.Ordinal));
        Assert.Contains("symbolic link", File.ReadAllText(_pipeline.Vault.Path(reason)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_FifoNamedEml_LeftAloneAndTheOtherItemsAreProcessed()
    {
        var fifo = Path.Combine(_pipeline.Vault.Layout.Inbox, "p.eml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        _pipeline.WriteToInbox("ok.eml", Encoding.UTF8.GetBytes(Eml("ok@example.com", "Fine", "An ordinary question?")));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        Assert.Equal(0, outcome.Failed);
        Assert.Equal(InboxEntryKind.Fifo, InboxFile.Inspect(fifo));
        Assert.Single(_pipeline.Vault.Files("Inbox/_archive"));
    }

    [Fact]
    public async Task Read_LinkToALargeFile_RefusedWithoutReadingIt()
    {
        _pipeline.InboxOptions.MaxItemBytes = 1024;
        var large = _outside.WriteBytes("large.eml", Encoding.UTF8.GetBytes(Eml("large@example.com", "Large", "LARGE-BODY " + new string('x', 4096))));
        File.CreateSymbolicLink(Path.Combine(_pipeline.Vault.Layout.Inbox, "large.eml"), large);

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Failed);
        Assert.Empty(_pipeline.Llm.Requests);
        Assert.True(File.Exists(large));
    }

    [Fact]
    public async Task Read_LargeRegularFile_FailsWithTheSizeOfTheFileItself()
    {
        _pipeline.InboxOptions.MaxItemBytes = 1024;
        _pipeline.WriteToInbox("large.eml", Encoding.UTF8.GetBytes(Eml("large@example.com", "Large", new string('x', 4096))));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Failed);
        var reason = Assert.Single(_pipeline.Vault.Files(), f => f.EndsWith(".error.md", StringComparison.Ordinal));
        var text = File.ReadAllText(_pipeline.Vault.Path(reason));
        Assert.True(text.Contains("MaxItemBytes", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task Read_MboxOverMaxMessagesPerItem_FailsWithAReasonSayingHowToRaiseIt()
    {
        _pipeline.InboxOptions.MaxMessagesPerItem = 2;
        var mbox = new StringBuilder();
        for (var i = 0; i < 3; i++)
        {
            mbox.Append("From bob@example.com Mon Jan  5 08:00:00 2026\n").Append(Eml($"m{i}@example.com", $"Topic {i}", "Question?").Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
        }

        _pipeline.WriteToInbox("many.mbox", Encoding.UTF8.GetBytes(mbox.ToString()));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Failed);
        Assert.Empty(_pipeline.Llm.Requests);
        var reason = File.ReadAllText(_pipeline.Vault.Path(Assert.Single(_pipeline.Vault.Files(), f => f.EndsWith(".error.md", StringComparison.Ordinal))));
        Assert.Contains("more than 2 messages", reason, StringComparison.Ordinal);
        Assert.True(reason.Contains("MaxMessagesPerItem", StringComparison.Ordinal), reason);
    }

    [Fact]
    public async Task Read_MboxAtMaxMessagesPerItem_IsProcessed()
    {
        _pipeline.InboxOptions.MaxMessagesPerItem = 2;
        var mbox = new StringBuilder();
        for (var i = 0; i < 2; i++)
        {
            mbox.Append("From bob@example.com Mon Jan  5 08:00:00 2026\n").Append(Eml($"m{i}@example.com", $"Topic {i}", "Question?").Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
        }

        _pipeline.WriteToInbox("two.mbox", Encoding.UTF8.GetBytes(mbox.ToString()));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        Assert.Equal(2, _pipeline.Vault.Files("Notes").Count);
    }

    [Fact]
    public async Task Fail_FileNameWithCodeFenceAndNewline_ErrorNoteShowsItAsInertText()
    {
        var name = "bad```\nname.xyz";
        File.WriteAllText(Path.Combine(_pipeline.Vault.Layout.Inbox, name), "some text");

        await _pipeline.RunInboxAsync();

        var note = File.ReadAllText(_pipeline.Vault.Path(Assert.Single(_pipeline.Vault.Files(), f => f.EndsWith(".error.md", StringComparison.Ordinal))));
        Assert.DoesNotContain("```", note, StringComparison.Ordinal);
        Assert.Contains("\\n", note, StringComparison.Ordinal);
        Assert.DoesNotContain("bad```\nname", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_SubjectOfPrefixesOnly_NoteAndDraftGetARealSubject()
    {
        _pipeline.WriteToInbox("p.eml", Encoding.UTF8.GetBytes(Eml("prefix@example.com", "Re: RE: Fwd:", "Quarterly numbers for the board meeting are attached, can you check them?")));

        await _pipeline.RunInboxAsync();

        var note = Assert.Single(_pipeline.Vault.Files("Notes"));
        Assert.DoesNotContain("untitled", note, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Quarterly", note, StringComparison.Ordinal);
        var draft = Assert.Single(_pipeline.Vault.Files("Outbox"), f => !f.Contains("_prompts", StringComparison.Ordinal));
        var text = File.ReadAllText(_pipeline.Vault.Path(draft));
        Assert.Contains("Re: Quarterly numbers", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ListMailToMe_GetsADraft()
    {
        _pipeline.WriteToInbox("l.eml", Encoding.UTF8.GetBytes(Eml(
            "list1@example.com", "Build broken", "Can you look at the build today?",
            "List-Id: Team <team.example.com>\r\nList-Post: <mailto:team@example.com>\r\nList-Unsubscribe: <mailto:leave@example.com>\r\n",
            to: "team@example.com, Me Myself <" + PipelineHarness.MyEmail + ">")));

        await _pipeline.RunInboxAsync();

        Assert.Single(_pipeline.Vault.Files("Outbox"), f => !f.Contains("_prompts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_ListMailAskingMeByName_GetsADraft()
    {
        _pipeline.WriteToInbox("l.eml", Encoding.UTF8.GetBytes(Eml(
            "list2@example.com", "Release", "Hi Me, could you sign off the release notes?",
            "List-Id: Team <team.example.com>\r\nList-Post: <mailto:team@example.com>\r\n", to: "team@example.com")));

        await _pipeline.RunInboxAsync();

        Assert.Single(_pipeline.Vault.Files("Outbox"), f => !f.Contains("_prompts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_ListMailNotToMe_GetsANoteButNoDraft()
    {
        _pipeline.WriteToInbox("l.eml", Encoding.UTF8.GetBytes(Eml(
            "list3@example.com", "Lunch", "Anyone up for lunch on Friday?",
            "List-Id: Team <team.example.com>\r\nList-Post: <mailto:team@example.com>\r\n", to: "team@example.com")));

        await _pipeline.RunInboxAsync();

        Assert.Single(_pipeline.Vault.Files("Notes"));
        Assert.DoesNotContain(_pipeline.Vault.Files("Outbox"), f => !f.Contains("_prompts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Process_NewsletterToMe_GetsANoteButNoDraft()
    {
        _pipeline.WriteToInbox("n.eml", Encoding.UTF8.GetBytes(Eml(
            "news@example.com", "Weekly news", "This week: ten things. Could you believe it?",
            "List-Id: News <news.example.com>\r\nList-Unsubscribe: <mailto:leave@example.com>\r\n")));

        await _pipeline.RunInboxAsync();

        Assert.Single(_pipeline.Vault.Files("Notes"));
        Assert.DoesNotContain(_pipeline.Vault.Files("Outbox"), f => !f.Contains("_prompts", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Process_PromptRecords_AreOwnerOnlyFiles()
    {
        ReplyDrafter.Cli.CliHost.PrepareVault(_pipeline.Vault.Layout);
        _pipeline.WriteToInbox("a.eml", Encoding.UTF8.GetBytes(Eml("a@example.com", "Numbers", "Could you send the numbers?")));

        await _pipeline.RunInboxAsync();

        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(_pipeline.Vault.Layout.PromptRecords));
        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(_pipeline.Vault.Layout.State));
        var records = Directory.GetFiles(_pipeline.Vault.Layout.PromptRecords);
        Assert.Equal(2, records.Length);
        Assert.All(records, r => Assert.Equal(PrivateFiles.PrivateFileMode, File.GetUnixFileMode(r)));
    }

    [Fact]
    public async Task Read_ItemOverReadBudget_FailsWithTheReasonAndTheBatchGoesOn()
    {
        // The first item's budget runs out on a fake clock (advanced by the budget when its timer is made); the second's never does.
        var source = new InboxFolderSource(
            _pipeline.Ledger, _pipeline.Vault.Layout, Microsoft.Extensions.Options.Options.Create(new InboxOptions()), new FirstBudgetSpent(_pipeline.Time),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InboxFolderSource>.Instance);
        var slow = _pipeline.WriteToInbox("a-slow.eml", Encoding.UTF8.GetBytes(Eml("slow@example.com", "Slow", "Question one?")));
        var fine = _pipeline.WriteToInbox("b-fine.eml", Encoding.UTF8.GetBytes(Eml("fine@example.com", "Fine", "Question two?")));

        var (items, failed) = source.Read([slow, fine], moveItems: true, progress: null, CancellationToken.None);
        var outcome = await _pipeline.Runner.ProcessAsync(items, null, CancellationToken.None, CancellationToken.None);

        Assert.Equal(1, failed);
        Assert.Equal(1, outcome.Done);
        var reason = File.ReadAllText(_pipeline.Vault.Path(Assert.Single(_pipeline.Vault.Files(), f => f.EndsWith(".error.md", StringComparison.Ordinal))));
        Assert.Contains("took longer than 30 s", reason, StringComparison.Ordinal);
        Assert.Single(_pipeline.Vault.Files("Inbox/_archive"));
    }

    [Fact]
    public void Read_MessageWithReadNotes_LogsThemAtWarningWithTheFileName()
    {
        var log = new ListLogger();
        var source = new InboxFolderSource(
            _pipeline.Ledger, _pipeline.Vault.Layout, Microsoft.Extensions.Options.Options.Create(new InboxOptions()), _pipeline.Time, log);
        var path = _pipeline.WriteToInbox("odd.eml", Encoding.UTF8.GetBytes(Eml("odd@example.com", "=?x-no-such-charset?Q?Caf=E9?=", "Question?")));

        var (items, _) = source.Read([path], moveItems: false, progress: null, CancellationToken.None);

        Assert.Single(items);
        var warning = Assert.Single(log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("odd.eml", warning.Message, StringComparison.Ordinal);
        Assert.Contains("x-no-such-charset", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroReadBudgetOrMaxMessages_NamesTheKey()
    {
        var result = new InboxOptionsValidator().Validate(null, new InboxOptions { ReadBudget = TimeSpan.Zero, MaxMessagesPerItem = 0 });

        Assert.True(result.Failed);
        Assert.Contains("ReplyDrafter:Inbox:ReadBudget", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ReplyDrafter:Inbox:MaxMessagesPerItem", result.FailureMessage, StringComparison.Ordinal);
    }

    private sealed class FirstBudgetSpent(Microsoft.Extensions.Time.Testing.FakeTimeProvider inner) : TimeProvider
    {
        private int _timers;

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            if (Interlocked.Increment(ref _timers) == 1)
            {
                inner.Advance(dueTime);
            }

            return timer;
        }
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<InboxFolderSource>
    {
        public List<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
