using ReplyDrafter.Tests.EndToEnd;

namespace ReplyDrafter.Tests.Imap;

/// <summary>A mailbox without a Drafts folder yet: the draft waits in imap.db across runs (each <c>run --once</c> is a new process).</summary>
public sealed partial class ImapPipelineTests
{
    [Fact]
    public async Task RunOnce_NoDraftsFolderUntilTheUserMakesOne_DraftWaitsAndIsAppendedOnALaterRun()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser(), createDrafts: false);
        await server.AppendAsync(user, "INBOX", Question("w1@example.com", "Invoice", "Is the invoice paid?").Build(), Arrived);

        var (first, _, firstError) = await harness.RunOnceAsync();
        Assert.True(first == 0, firstError);
        Assert.Single(harness.Drafts());
        Assert.Equal(1, await PendingDraftsAsync(harness));
        Assert.Contains("wait in imap.db until the folder exists", firstError, StringComparison.Ordinal);

        await server.CreateFolderAsync(user, "Drafts"); // marked \Drafts by the server's config
        var (second, _, secondError) = await harness.RunOnceAsync();

        Assert.True(second == 0, secondError);
        var (draft, _) = Assert.Single(await FolderAsync(user, "Drafts"));
        Assert.Equal("w1@example.com", draft.InReplyTo);
        Assert.Equal(0, await PendingDraftsAsync(harness));
    }
}
