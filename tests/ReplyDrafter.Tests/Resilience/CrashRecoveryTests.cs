using System.Globalization;
using ReplyDrafter.Tests.EndToEnd;
using Xunit.Abstractions;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>
/// The real program, killed with SIGKILL at random moments of a batch, then restarted: nothing lost, nothing twice.
/// Set REPLYDRAFTER_CRASH_SEED to replay a failing run's kill timings.
/// </summary>
[Collection(nameof(ChildProcessTests))]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    /// <summary>Kill rounds go on until the batch is through (each restart redoes some work) or this many were done.</summary>
    private const int MaxRounds = 4;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Run_KilledRepeatedlyMidBatch_RestartLeavesEachItemDoneExactlyOnce()
    {
        var seed = Environment.GetEnvironmentVariable("REPLYDRAFTER_CRASH_SEED") is { } fromEnvironment
            ? int.Parse(fromEnvironment, CultureInfo.InvariantCulture)
            : 20260105;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var harness = await StartAsync(seed);
        var corpus = MailCorpus.Create(threads: 45);
        Assert.Equal(120, corpus.MessageCount);
        corpus.WriteTo(harness.Vault.Layout.Inbox);

        for (var round = 1; round <= MaxRounds && harness.InboxLeft().Count > 0; round++)
        {
            // Odd rounds count from the start (kills land in reading and copying to Sources/), even rounds from the
            // first LLM output (kills land mid-call, mid-write, between note and draft).
            await using var daemon = ChildDaemon.Start(harness.Arguments("run"));
            await daemon.WaitForLogAsync("Watching", s_startTimeout);
            var trigger = round % 2 == 1 ? "start" : await daemon.WaitForAnyLogAsync(["Note written", "Draft written", "Archived", "Batch:"], s_runTimeout);
            var delay = round % 2 == 1 ? random.Next(300, 1500) : random.Next(0, 600);
            await Task.Delay(delay);
            await daemon.KillAsync();
            output.WriteLine(
                $"round {round}: killed {delay} ms after {trigger}; {harness.InboxLeft().Count} item(s) left, {harness.Notes().Count} note(s), {harness.Drafts().Count} draft(s), {harness.Server.ChatRequestCount} LLM call(s) so far");
        }

        // The archive moves come last in a batch, so random kills seldom land there: one more round aims at them.
        if (harness.InboxLeft().Count > 0)
        {
            await using var daemon = ChildDaemon.Start(harness.Arguments("run"));
            await daemon.WaitForLogAsync("Archived", s_runTimeout);
            await daemon.KillAsync();
            output.WriteLine($"killed at the first archive move; {harness.InboxLeft().Count} item(s) left");
        }

        await using var final = InProcessDaemon.Start(harness.Arguments("run", "--once"));
        var code = await final.WaitForExitAsync(s_runTimeout);
        output.WriteLine(final.Error);

        Assert.True(code == 0, final.Error);
        VaultInvariants.AssertComplete(harness.Vault, corpus);
    }

    [Fact]
    public async Task Run_SecondInstanceOnSameVault_RefusesUntilTheFirstIsKilled()
    {
        await using var harness = await StartAsync(seed: 1);
        await using var first = ChildDaemon.Start(harness.Arguments("run"));
        await first.WaitForLogAsync("Watching", s_startTimeout);

        await using (var second = ChildDaemon.Start(harness.Arguments("run")))
        {
            Assert.Equal(2, await second.WaitForExitAsync(s_startTimeout));
            Assert.Contains("already", second.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", second.Error, StringComparison.Ordinal);
        }

        Assert.False(first.HasExited);
        await first.KillAsync();

        // The OS released the lock with the killed process: a new instance works.
        harness.Drop(MailCorpusMessage("after-kill@example.com"), "after-kill.eml");
        await using var third = InProcessDaemon.Start(harness.Arguments("run", "--once"));
        Assert.Equal(0, await third.WaitForExitAsync(s_runTimeout));
        Assert.Single(harness.Drafts());
        Assert.Empty(harness.InboxLeft());
    }

    [Fact]
    public async Task Run_SigtermMidBatch_ExitsZeroAndNextRunFinishesWithoutDuplicates()
    {
        await using var harness = await StartAsync(seed: 2);
        var corpus = MailCorpus.Create(threads: 20, idPrefix: "s");
        corpus.WriteTo(harness.Vault.Layout.Inbox);
        harness.Settings.Add("--ReplyDrafter:Inbox:ShutdownGrace=00:00:05");

        await using (var daemon = ChildDaemon.Start(harness.Arguments("run")))
        {
            await daemon.WaitForLogAsync("Note written", s_startTimeout);
            daemon.Terminate();
            var code = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine(daemon.Error);
            Assert.Equal(0, code);
            Assert.DoesNotContain("   at ", daemon.Error, StringComparison.Ordinal);

            // A stop is not an outage.
            Assert.DoesNotContain("did not answer", daemon.Error, StringComparison.Ordinal);
        }

        output.WriteLine($"after SIGTERM: {harness.InboxLeft().Count} item(s) left, {harness.Notes().Count} note(s)");
        await using var final = InProcessDaemon.Start(harness.Arguments("run", "--once"));
        Assert.True(await final.WaitForExitAsync(s_runTimeout) == 0, final.Error);
        VaultInvariants.AssertComplete(harness.Vault, corpus);
    }

    internal static async Task<DaemonHarness> StartAsync(int seed)
    {
        var harness = await DaemonHarness.StartAsync();
        harness.Server.Responder = MailCorpus.SlowCannedResponder(seed);
        harness.Settings.Add("--ReplyDrafter:Inbox:RescanInterval=00:00:01");
        harness.Settings.Add("--ReplyDrafter:Inbox:OnceLlmWait=00:00:20");
        return harness;
    }

    private static TestData.MimeMessageBuilder MailCorpusMessage(string id) =>
        TestData.MimeMessageBuilder.Create()
            .MessageId(id)
            .From("Bob", "bob@example.com")
            .To(DaemonHarness.MyName, DaemonHarness.MyEmail)
            .Subject("Are you there?")
            .PlainBody("Can you confirm?");
}
