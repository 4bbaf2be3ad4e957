using ReplyDrafter.Drafts;
using ReplyDrafter.Processing;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Processing;

public sealed class ThreadProcessorTests : IDisposable
{
    private readonly PipelineHarness _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task ProcessAsync_ReplyNeeded_WritesNoteDraftAndTheirRecordsAndTellsTheSinks()
    {
        var sink = new RecordingSink();
        _pipeline.Sinks.Add(sink);
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("first@example.com", "Budget"));
        _pipeline.WriteToInbox("b.eml", BatchRunnerTests.Eml("second@example.com", "Re: Budget", inReplyTo: "first@example.com"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(2, outcome.Done);
        Assert.Equal(["thread-note", "draft-reply"], _pipeline.Llm.Requests.Select(r => r.Step));
        var delivery = Assert.Single(sink.Delivered);
        Assert.Equal("second@example.com", delivery.AnswersMessageId);
        Assert.Equal(["first@example.com", "second@example.com"], delivery.References);
        Assert.Equal("Bob Sender <bob@example.com>", delivery.Draft.To);
        Assert.Equal("Re: Budget", delivery.Draft.Subject);
        var files = _pipeline.Vault.Files();
        Assert.Contains(delivery.OutboxPath, files);
        Assert.Contains("Outbox/_prompts/" + Path.GetFileNameWithoutExtension(delivery.OutboxPath) + ".prompt.json", files);
        Assert.Single(files, f => f.StartsWith("Notes/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessAsync_NoReplyNeeded_WritesNoteOnlyAndNoSinkHearsOfIt()
    {
        var sink = new RecordingSink();
        _pipeline.Sinks.Add(sink);
        _pipeline.Llm.Answer = _ => FakeLlmServer.CannedNote(replyNeeded: false);
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("first@example.com", "FYI"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(1, outcome.Done);
        Assert.Equal(["thread-note"], _pipeline.Llm.Requests.Select(r => r.Step));
        Assert.Empty(sink.Delivered);
        Assert.DoesNotContain(_pipeline.Vault.Files("Outbox"), f => !f.StartsWith("Outbox/_prompts/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessAsync_SinkThrows_ThreadFailsWithTheSinksReason()
    {
        _pipeline.Sinks.Add(new RecordingSink { Failure = new InvalidOperationException("Drafts folder is read-only") });
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("first@example.com", "Budget"));

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal((0, 1), (outcome.Done, outcome.Failed));
        var detail = Assert.Single(_pipeline.Ledger.Items(ReplyDrafter.Ledger.ItemStates.Failed)).Detail;
        Assert.Contains("(InvalidOperationException: Drafts folder is read-only)", detail, StringComparison.Ordinal);
    }

    private sealed class RecordingSink : IDraftSink
    {
        public List<DraftDelivery> Delivered { get; } = [];

        public Exception? Failure { get; init; }

        public Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Delivered.Add(draft);
            return Task.CompletedTask;
        }

        public Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken) => Task.FromResult(DraftWithdrawal.Gone);
    }
}
