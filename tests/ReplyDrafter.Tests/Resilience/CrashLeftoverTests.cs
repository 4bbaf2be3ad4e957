using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>States a crash leaves between two steps, set up directly, so each is checked every run rather than by luck.</summary>
public sealed class CrashLeftoverTests
{
    [Fact]
    public async Task RunOnce_ExplanationWrittenButItemNotMoved_FailsUnderItsOwnNameOnce()
    {
        await using var harness = await DaemonHarness.StartAsync();

        // A crash came after Inbox/_failed/empty.eml.error.md was written and before empty.eml was moved beside it.
        harness.DropText("empty.eml", "");
        Directory.CreateDirectory(harness.Vault.Layout.Failed);
        File.WriteAllText(Path.Combine(harness.Vault.Layout.Failed, "empty.eml.error.md"), "# Why empty.eml was not processed\n\nThe file is empty.\n");

        var (code, _, _) = await harness.RunOnceAsync();

        Assert.Equal(1, code);
        Assert.Empty(harness.InboxLeft());
        Assert.Equal(["Inbox/_failed/empty.eml", "Inbox/_failed/empty.eml.error.md"], harness.Vault.Files("Inbox/_failed"));
    }

    [Fact]
    public async Task RunOnce_TempFilesFromAKilledWrite_AreRemovedAndTheWorkRedone()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var corpus = MailCorpus.Create(threads: 3, idPrefix: "t");
        corpus.WriteTo(harness.Vault.Layout.Inbox);

        // What a SIGKILL inside AtomicFile leaves: a dot-prefixed temp file beside where the note would go.
        Directory.CreateDirectory(harness.Vault.Layout.Notes);
        var leftover = Path.Combine(harness.Vault.Layout.Notes, ".2025-11-01_Topic-000-planning.md.rdtmp-0123456789ab");
        File.WriteAllText(leftover, "---\ntype: proj");

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.False(File.Exists(leftover));
        VaultInvariants.AssertComplete(harness.Vault, corpus);
    }
}
