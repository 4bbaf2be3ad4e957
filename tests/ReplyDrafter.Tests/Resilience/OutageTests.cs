using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestServer;
using Xunit.Abstractions;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>The daemon while the LLM is gone or refuses: items wait in the inbox, nothing fails, and it catches up.</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    /// <summary>How many rounds the items wait through while the LLM is away (each round is a batch that finds it down).</summary>
    private const int OutageRounds = 3;

    private static readonly TimeSpan s_catchUpTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Run_LlmDownForAWhile_ItemsWaitThenAllDrafted()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 10, idPrefix: "o");
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        var down = new System.Runtime.CompilerServices.StrongBox<bool>(true);
        harness.Server.Responder = request => Volatile.Read(ref down.Value) ? FakeLlmReply.Drop() : MailCorpus.Canned(request);
        harness.Settings.Add("--ReplyDrafter:Inbox:RescanInterval=00:00:01");
        harness.Settings.Add("--ReplyDrafter:Llm:BreakDuration=00:00:01");

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("Watching", TimeSpan.FromSeconds(30));
        await daemon.WaitForLogCountAsync($"0 done, 0 failed, {corpus.Files.Count} waiting", OutageRounds, s_catchUpTimeout);

        // During the outage: still running, every item still in the inbox, none failed, nothing written.
        Assert.False(daemon.HasExited, daemon.Error);
        Assert.Equal(corpus.Files.Count, harness.InboxLeft().Count);
        Assert.Empty(harness.Vault.Files("Inbox/_failed"));
        Assert.Empty(harness.Notes());
        Assert.Contains("wait in the inbox", daemon.Error, StringComparison.Ordinal);
        var callsDuringOutage = harness.Server.ChatRequestCount;
        output.WriteLine($"{callsDuringOutage} call(s) during the outage");

        Volatile.Write(ref down.Value, false);
        await daemon.WaitUntilAsync(() => harness.InboxLeft().Count == 0, s_catchUpTimeout, "the inbox was not emptied after the LLM came back");

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine(daemon.Error);
        Assert.Contains("answers again", daemon.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", daemon.Error, StringComparison.Ordinal);
        VaultInvariants.AssertComplete(harness.Vault, corpus);

        // Waiting items do not hammer a dead endpoint: far fewer calls than one per retry per item per second.
        Assert.True(callsDuringOutage < corpus.Threads.Count * 6 * 5, $"{callsDuringOutage} calls during the outage");
    }

    [Fact]
    public async Task Run_LlmRefusesTheKey_PausesWithAClearLineAndFailsNothing()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 5, idPrefix: "k");
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        harness.Server.Responder = _ => FakeLlmReply.Unauthorized();

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("wait in the inbox", TimeSpan.FromSeconds(30));
        await Task.Delay(500);

        Assert.False(daemon.HasExited, daemon.Error);
        Assert.Contains("refused the credentials (HTTP 401). Check ReplyDrafter:Llm:ApiKey", daemon.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, daemon.Error, StringComparison.Ordinal);
        Assert.Equal(corpus.Files.Count, harness.InboxLeft().Count);
        Assert.Empty(harness.Vault.Files("Inbox/_failed"));
        Assert.InRange(harness.Server.ChatRequestCount, 1, 4);

        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
