using System.Text;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Processing;

public sealed class BatchRunnerTests : IDisposable
{
    private readonly PipelineHarness _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task ProcessAsync_SubjectWithNonCharacterBesideGoodMail_GoodOnesDoneBadOneFailsAlone()
    {
        _pipeline.WriteToInbox("a-good.eml", Eml("good-1@example.com", "Budget for Q3"));
        _pipeline.WriteToInbox("b-bad.eml", Eml("bad@example.com", "=?utf-8?b?SW52b2ljZSDvv74=?="));
        _pipeline.WriteToInbox("c-good.eml", Eml("good-2@example.com", "Team offsite"));
        var slugThrows = Throws(() => Slug.Make("Invoice \uFFFE", 69));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(slugThrows ? (2, 1, 0) : (3, 0, 0), (outcome.Done, outcome.Failed, outcome.Waiting));
        Assert.DoesNotContain(_pipeline.Vault.Files("Inbox"), f => !f.StartsWith("Inbox/_", StringComparison.Ordinal));
        Assert.Equal(2, _pipeline.Vault.Files("Inbox/_archive").Count(f => f.EndsWith("-good.eml", StringComparison.Ordinal)));
        if (slugThrows)
        {
            var why = File.ReadAllText(_pipeline.Vault.Path("Inbox/_failed/b-bad.eml.error.md"));
            Assert.Contains("could not file a message of this item (ArgumentException", why, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", why, StringComparison.Ordinal);
            Assert.Equal(ItemStates.Failed, Assert.Single(_pipeline.Ledger.Items(ItemStates.Failed)).State);
        }
    }

    [Fact]
    public async Task ProcessAsync_ModelRejectsOneThread_OnlyItsItemFailsWithTheReason()
    {
        _pipeline.Llm.Answer = request => request.Template.Variables.GetValueOrDefault("subject") == "Refused topic"
            ? throw new LlmException(LlmFailureKind.Rejected, "The model refused to answer (content filter).")
            : request.Step == "thread-note" ? TestServer.FakeLlmServer.CannedNote(false) : TestServer.FakeLlmServer.CannedDraft();
        _pipeline.WriteToInbox("a.eml", Eml("a@example.com", "Refused topic"));
        _pipeline.WriteToInbox("b.eml", Eml("b@example.com", "Fine topic"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((1, 1, 0), (outcome.Done, outcome.Failed, outcome.Waiting));
        Assert.Equal("The model refused to answer (content filter).", Assert.Single(_pipeline.Ledger.Items(ItemStates.Failed)).Detail);
        Assert.True(File.Exists(_pipeline.Vault.Path("Inbox/_failed/a.eml")));
        Assert.Single(_pipeline.Vault.Files("Inbox/_archive"), f => f.EndsWith("/b.eml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessAsync_LlmUnavailable_ItemsWaitInTheInboxUntouched()
    {
        _pipeline.Llm.Answer = _ => throw new LlmException(LlmFailureKind.Unavailable, "The LLM at 127.0.0.1 does not answer.");
        _pipeline.WriteToInbox("a.eml", Eml("a@example.com", "Budget"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((0, 0, 1, "The LLM at 127.0.0.1 does not answer."), (outcome.Done, outcome.Failed, outcome.Waiting, outcome.WaitingReason));
        Assert.Equal(["Inbox/a.eml"], _pipeline.Vault.Files("Inbox"));
        Assert.Empty(_pipeline.Ledger.Items());
    }

    [Fact]
    public async Task ProcessAsync_SameFileTwice_SecondIsArchivedWithoutAskingTheModel()
    {
        var bytes = Eml("a@example.com", "Budget");
        _pipeline.WriteToInbox("a.eml", bytes);
        await _pipeline.RunInboxAsync();
        var calls = _pipeline.Llm.Requests.Count;
        _pipeline.WriteToInbox("a.eml", bytes);

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((0, 0, 0), (outcome.Done, outcome.Failed, outcome.Waiting));
        Assert.Equal(calls, _pipeline.Llm.Requests.Count);
        Assert.Equal(2, _pipeline.Vault.Files("Inbox/_archive").Count);
    }

    internal static byte[] Eml(string messageId, string subject, string? inReplyTo = null) => Encoding.UTF8.GetBytes(
        $"From: Bob Sender <bob@example.com>\r\nTo: Me Myself <{PipelineHarness.MyEmail}>\r\nSubject: {subject}\r\n" +
        $"Date: Mon, 05 Jan 2026 08:00:00 +0000\r\nMessage-ID: <{messageId}>\r\n" +
        (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\r\nReferences: <{inReplyTo}>\r\n") +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nCould you send the numbers by Friday?\r\n");

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
