using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Llm;

/// <summary>What a retried fault leaves in the file log: one line, no stack trace (the soak wrote hundreds of trace lines).</summary>
public sealed class RetryLogTests
{
    [Fact]
    public async Task RunOnce_ServerErrorThenAnswer_OneLogLinePerRetryAndNoStackTrace()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Server.Enqueue(FakeLlmReply.ServerError(500));
        harness.Drop(MimeMessageBuilder.ToMe("alice@example.com", "Budget for Q3"), "retry-budget.eml");

        var (code, _, error) = await harness.RunOnceAsProgramAsync();

        Assert.True(code == 0, error);
        Assert.Single(harness.Drafts());
        var log = string.Join('\n', harness.Vault.Files(".replydrafter/logs").Select(f => File.ReadAllText(harness.Vault.Path(f))));
        var retry = Assert.Single(log.Split('\n'), l => l.Contains("retrying in", StringComparison.Ordinal));
        Assert.Contains("attempt 1 failed (HTTP 500); retrying in", retry, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", log, StringComparison.Ordinal);
    }
}
