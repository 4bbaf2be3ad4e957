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
    public async Task ProcessAsync_SubjectWithNonCharacterBesideGoodMail_AllProcessed()
    {
        // U+FFFE in a subject once made Slug.Make throw and stopped the whole batch; now it is stripped before normalising.
        _pipeline.WriteToInbox("a-good.eml", Eml("good-1@example.com", "Budget for Q3"));
        _pipeline.WriteToInbox("b-odd.eml", Eml("odd@example.com", "=?utf-8?b?SW52b2ljZSDvv74=?="));
        _pipeline.WriteToInbox("c-good.eml", Eml("good-2@example.com", "Team offsite"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((3, 0, 0), (outcome.Done, outcome.Failed, outcome.Waiting));
        Assert.Equal(3, _pipeline.Vault.Files("Inbox/_archive").Count);
        Assert.Contains(_pipeline.Vault.Files("Notes"), f => f.EndsWith("_Invoice.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessAsync_StepThrowsUnexpectedly_OnlyThatItemFailsWithTheReason()
    {
        // Whatever a step throws for one thread, the others flow and the item is put aside with a reason, no stack trace.
        _pipeline.Llm.Answer = request => request.Template.Variables.GetValueOrDefault("subject") == "Breaks"
            ? throw new ArgumentException("bad input for a step")
            : request.Step == "thread-note" ? TestServer.FakeLlmServer.CannedNote(false) : TestServer.FakeLlmServer.CannedDraft();
        _pipeline.WriteToInbox("a.eml", Eml("a@example.com", "Breaks"));
        _pipeline.WriteToInbox("b.eml", Eml("b@example.com", "Fine topic"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((1, 1, 0), (outcome.Done, outcome.Failed, outcome.Waiting));
        var why = File.ReadAllText(_pipeline.Vault.Path("Inbox/_failed/a.eml.error.md"));
        Assert.Contains("ArgumentException", why, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", why, StringComparison.Ordinal);
        Assert.Single(_pipeline.Vault.Files("Inbox/_archive"), f => f.EndsWith("/b.eml", StringComparison.Ordinal));
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

    [Fact]
    public async Task ProcessAsync_SameMessageFromTwoSourcesAtOnce_ThreadDraftedOnce()
    {
        // The folder worker and the IMAP worker may hand over the same message at the same moment.
        using var inFirstCall = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var answer = _pipeline.Llm.Answer;
        _pipeline.Llm.Answer = request =>
        {
            inFirstCall.Release();
            release.Wait(TimeSpan.FromSeconds(30));
            return answer(request);
        };
        var bytes = Eml("same@example.com", "Budget");
        var first = _pipeline.WriteToInbox("folder.eml", bytes);
        var second = _pipeline.WriteToInbox("imap-copy.eml", [.. Encoding.UTF8.GetBytes("X-Copy: 1\r\n"), .. bytes]);
        var (a, _) = _pipeline.Source.Read([first], moveItems: true, progress: null, CancellationToken.None);
        var (b, _) = _pipeline.Source.Read([second], moveItems: true, progress: null, CancellationToken.None);

        var one = Task.Run(() => _pipeline.Runner.ProcessAsync(a, null, CancellationToken.None, CancellationToken.None));
        Assert.True(await inFirstCall.WaitAsync(TimeSpan.FromSeconds(30)));
        var other = Task.Run(() => _pipeline.Runner.ProcessAsync(b, null, CancellationToken.None, CancellationToken.None));
        release.Set();
        var outcomes = await Task.WhenAll(one, other);

        Assert.All(outcomes, o => Assert.Equal((1, 0, 0), (o.Done, o.Failed, o.Waiting)));
        Assert.Equal(1, _pipeline.Llm.Requests.Count(r => r.Step == "thread-note"));
        Assert.Equal(1, _pipeline.Llm.Requests.Count(r => r.Step == "draft-reply"));
        Assert.Single(_pipeline.Vault.Files("Notes"));
    }

    internal static byte[] Eml(string messageId, string subject, string? inReplyTo = null) => Encoding.UTF8.GetBytes(
        $"From: Bob Sender <bob@example.com>\r\nTo: Me Myself <{PipelineHarness.MyEmail}>\r\nSubject: {subject}\r\n" +
        $"Date: Mon, 05 Jan 2026 08:00:00 +0000\r\nMessage-ID: <{messageId}>\r\n" +
        (inReplyTo is null ? "" : $"In-Reply-To: <{inReplyTo}>\r\nReferences: <{inReplyTo}>\r\n") +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nCould you send the numbers by Friday?\r\n");
}
