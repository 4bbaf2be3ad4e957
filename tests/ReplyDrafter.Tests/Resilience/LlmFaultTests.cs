using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>An LLM that misbehaves in every way a real one does: the batch still ends with each draft written once.</summary>
public sealed class LlmFaultTests
{
    [Fact]
    public async Task RunOnce_ThirdOfCallsFaulty_EveryThreadDraftedExactlyOnce()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 40, idPrefix: "f");
        Assert.True(corpus.MessageCount >= 100);
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        var flaky = new FlakyResponder();
        harness.Server.Responder = flaky.Answer;
        harness.Settings.Add("--ReplyDrafter:Llm:MaxRetries=5");

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        VaultInvariants.AssertComplete(harness.Vault, corpus);

        // About a third of the distinct requests met a fault first, some of them twice; a transport fault cost one retry
        // of the same request, a wrong answer one re-ask (a new request: it carries the errors).
        var distinct = flaky.DistinctRequests;
        Assert.InRange(flaky.FaultsServed, distinct / 3, (distinct / 3) + (distinct / 9) + 2);
        Assert.Equal(distinct + flaky.FaultsServed - flaky.WrongAnswersServed, harness.Server.ChatRequestCount);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_ContextLengthExceeded_ShrinksTheThreadAndTriesOnceMore()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var ids = new List<string>();
        for (var k = 0; k < 3; k++)
        {
            var id = $"long-{k}@example.com";
            var message = MimeMessageBuilder.Create()
                .MessageId(id)
                .From("Bob", "bob@example.com")
                .To(DaemonHarness.MyName, DaemonHarness.MyEmail)
                .Subject(k == 0 ? "Long report" : "Re: Long report")
                .Date(new DateTimeOffset(2025, 12, 1 + k, 9, 0, 0, TimeSpan.Zero))
                .PlainBody(string.Join("\n", Enumerable.Range(0, 400).Select(i => $"Paragraph {k}.{i}: the figures for line {i} need checking before Friday.")));
            if (k > 0)
            {
                message.ReplyTo(ids[^1], [.. ids.Take(ids.Count - 1)]);
            }

            ids.Add(id);
            harness.Drop(message, $"long-{k}.eml");
        }

        var first = true;
        harness.Server.Responder = request =>
        {
            if (request.SchemaName == "thread-note" && first)
            {
                first = false;
                return FakeLlmReply.ContextLengthExceeded();
            }

            return MailCorpus.Canned(request);
        };

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        var noteRequests = harness.Server.ChatRequests.Where(r => r.SchemaName == "thread-note").ToList();
        Assert.Equal(2, noteRequests.Count);
        Assert.True(
            noteRequests[1].Body.Length < noteRequests[0].Body.Length * 0.6,
            $"the retry was not shorter: {noteRequests[0].Body.Length} then {noteRequests[1].Body.Length} characters");
        Assert.Single(harness.Notes());
        Assert.Single(harness.Drafts());
        Assert.Empty(harness.Vault.Files("Inbox/_failed"));
        Assert.Contains("shorter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_ContentFilterOnOneThread_FailsOnlyThatItemInPlainWords()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 4, idPrefix: "cf");
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        harness.Drop(
            MimeMessageBuilder.Create().MessageId("filtered@example.com").From("Mallory", "mallory@example.com")
                .To(DaemonHarness.MyName, DaemonHarness.MyEmail).Subject("Something the filter dislikes").PlainBody("Filter me."),
            "filtered.eml");
        harness.Server.Responder = request => request.Body.Contains("Filter me.", StringComparison.Ordinal)
            ? FakeLlmReply.ContentFilterError()
            : MailCorpus.Canned(request);

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.Equal(1, code);
        Assert.Equal(["Inbox/_failed/filtered.eml", "Inbox/_failed/filtered.eml.error.md"], harness.Vault.Files("Inbox/_failed"));
        var reason = File.ReadAllText(harness.Vault.Path("Inbox/_failed/filtered.eml.error.md"));
        Assert.Contains("content filter", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

        // One request for the filtered thread: a refusal is not retried.
        Assert.Single(harness.Server.ChatRequests, r => r.Body.Contains("Filter me.", StringComparison.Ordinal));
        Assert.Equal(corpus.Threads.Count(t => t.NeedsDraft), harness.Drafts().Count);
        Assert.Empty(harness.InboxLeft());
    }

    [Theory]
    [InlineData("quota", "insufficient_quota")]
    [InlineData("auth", "ReplyDrafter:Llm:ApiKey")]
    [InlineData("deployment", "ReplyDrafter:Llm:Deployment")]
    public async Task RunOnce_LlmRefusesEveryCall_PausesWithTheReasonAndLeavesItemsUntouched(string fault, string reasonText)
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 6, idPrefix: "p");
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        var before = harness.InboxLeft().Order(StringComparer.Ordinal).ToList();
        harness.Server.Responder = _ => fault switch
        {
            "quota" => FakeLlmReply.InsufficientQuota(),
            "auth" => FakeLlmReply.Unauthorized(),
            _ => FakeLlmReply.NotFound(),
        };

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.Equal(1, code);
        Assert.Equal(before, harness.InboxLeft().Order(StringComparer.Ordinal).ToList());
        Assert.Empty(harness.Vault.Files("Inbox/_failed"));
        Assert.Empty(harness.Notes());
        Assert.Contains(reasonText, error, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, error, StringComparison.Ordinal);

        // Paused at the first refusals (one per concurrency slot at most), not once per item, and never retried.
        Assert.InRange(harness.Server.ChatRequestCount, 1, 4);
    }
}

/// <summary>
/// Answers about a third of the distinct requests with a fault on their first attempt (and a ninth on the second
/// too), rotating through 429 (retry-after-ms, Retry-After), 500/503, malformed and truncated JSON. Keyed by request
/// body, so it does not depend on how concurrent requests interleave.
/// </summary>
internal sealed class FlakyResponder
{
    private static readonly FakeLlmReply[] s_faults =
    [
        FakeLlmReply.RateLimited(TimeSpan.FromMilliseconds(15), milliseconds: true),
        FakeLlmReply.ServerError(),
        FakeLlmReply.Malformed(),
        FakeLlmReply.Truncated(),
        FakeLlmReply.RateLimited(TimeSpan.Zero, milliseconds: false),
        FakeLlmReply.ServerError(503),
    ];

    private readonly Dictionary<string, (int Index, int Attempts)> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _faultsServed;
    private int _wrongAnswersServed;

    public int DistinctRequests
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    public int FaultsServed => Volatile.Read(ref _faultsServed);

    public int WrongAnswersServed => Volatile.Read(ref _wrongAnswersServed);

    public FakeLlmReply Answer(FakeLlmRequest request)
    {
        int index;
        int attempt;
        lock (_gate)
        {
            var (seenIndex, attempts) = _seen.TryGetValue(request.Body, out var seen) ? seen : (_seen.Count + 1, 0);
            (index, attempt) = (seenIndex, attempts + 1);
            _seen[request.Body] = (index, attempt);
        }

        var fault = (index % 3, attempt) switch
        {
            (0, 1) => s_faults[index / 3 % s_faults.Length],
            (0, 2) when index % 9 == 0 => s_faults[((index / 3) + 1) % s_faults.Length],
            _ => null,
        };
        if (fault is null)
        {
            return MailCorpus.Canned(request);
        }

        Interlocked.Increment(ref _faultsServed);
        if (fault.StatusCode == 200)
        {
            Interlocked.Increment(ref _wrongAnswersServed);
        }

        return fault;
    }
}
