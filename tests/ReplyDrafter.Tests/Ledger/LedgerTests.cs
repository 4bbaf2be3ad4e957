using ReplyDrafter.Ledger;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Ledger;

public sealed class LedgerTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly TempVault _vault = new();
    private readonly ReplyDrafter.Ledger.VaultLedger _ledger;

    public LedgerTests() => _ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);

    private static EmailMessage Message(string id, int day) =>
        new(id, null, [], new MailParty("Bob", "bob@example.com"), [new MailParty("Ada", "ada@example.com")], [], [],
            new DateTimeOffset(2025, 12, day, 9, 0, 0, TimeSpan.Zero), "Re: Plan", "body " + id, "own " + id, [new AttachmentInfo("a.pdf", "application/pdf", 12)], null);

    [Fact]
    public void SetItem_ThenFind_ReturnsLatestState()
    {
        _ledger.SetItem("h1", "a.eml", ItemStates.Failed, "broken", s_now);
        _ledger.SetItem("h1", "a.eml", ItemStates.Done, null, s_now.AddMinutes(1));

        var item = _ledger.FindItem("h1");

        Assert.Equal(new ItemRecord("h1", "a.eml", ItemStates.Done, null, s_now.AddMinutes(1)), item);
        Assert.Single(_ledger.Items(ItemStates.Done));
        Assert.Empty(_ledger.Items(ItemStates.Failed));
        Assert.Null(_ledger.FindItem("nope"));
    }

    [Fact]
    public void ThreadMessages_StoredOutOfOrder_ComeBackOldestFirstAndWhole()
    {
        _ledger.AddMessage(Message("m2", 2), "t1", "Plan", "Sources/Email/2025/b.md", s_now);
        _ledger.AddMessage(Message("m1", 1), "t1", "Plan", "Sources/Email/2025/a.md", s_now);
        _ledger.AddMessage(Message("x", 1), "t2", "Other", "Sources/Email/2025/x.md", s_now);

        var messages = _ledger.ThreadMessages("t1");

        Assert.Equal(["m1", "m2"], messages.Select(m => m.Message.MessageId));
        Assert.Equal("Sources/Email/2025/a.md", messages[0].SourcePath);
        Assert.Equal("own m1", messages[0].Message.OwnText);
        Assert.Equal(12, messages[0].Message.Attachments.Single().Size);
        Assert.Equal("t1", _ledger.ThreadOfMessage("m2"));
        Assert.Equal("t1", _ledger.ThreadOfSubject("plan"));
    }

    [Fact]
    public void SaveThread_Twice_KeepsTheLatest()
    {
        _ledger.SaveThread(new ThreadRecord("t1", "v1", "Notes/a.md", "Outbox/d.md", "m1"), s_now);
        _ledger.SaveThread(new ThreadRecord("t1", "v2", "Notes/a.md", null, null), s_now);

        Assert.Equal(new ThreadRecord("t1", "v2", "Notes/a.md", null, null), _ledger.FindThread("t1"));
        Assert.Equal(1, _ledger.CountThreads());
        Assert.Empty(_ledger.PendingDraftPaths());
    }

    [Fact]
    public void Ledger_ReopenedAfterDispose_KeepsEverything()
    {
        _ledger.SetItem("h1", "a.eml", ItemStates.Done, null, s_now);
        _ledger.Dispose();

        using var reopened = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);

        Assert.Equal(new ItemRecord("h1", "a.eml", ItemStates.Done, null, s_now), reopened.FindItem("h1"));
    }

    [Fact]
    public async Task ConnectionSettings_ManyConnectionsInParallel_EveryOneSyncsFullyAndWaitsWhenBusy()
    {
        // Each native connection is set up once; every pooled or fresh one must still sync at each commit.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            _ledger.SetItem($"h{i}", $"{i}.eml", ItemStates.Done, null, s_now);
            Assert.NotNull(_ledger.FindItem($"h{i}"));
            Assert.Equal((2, 30_000), _ledger.ConnectionSettings());
        })));

        Assert.Equal(8, _ledger.Items(ItemStates.Done).Count);
        Assert.Equal((2, 30_000), _ledger.ConnectionSettings());
    }

    public void Dispose()
    {
        _ledger.Dispose();
        _vault.Dispose();
    }
}
