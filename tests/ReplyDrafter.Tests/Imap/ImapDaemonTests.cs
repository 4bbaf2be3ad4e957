using System.Globalization;
using MailKit;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.Resilience;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Imap;

/// <summary><c>run</c> with IMAP on (in the test process; as a child process where it is killed): outages and refused logins, against a real Dovecot.</summary>
[Collection(DovecotDaemonGroup.Name)]
public sealed class ImapDaemonTests(DovecotServer server)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Run_LlmDownWhenMailArrives_MessageWaitsThenIsDraftedIntoTheDraftsFolder()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        var down = new System.Runtime.CompilerServices.StrongBox<bool>(true);
        harness.Server.Responder = request => Volatile.Read(ref down.Value) ? FakeLlmReply.Drop() : MailCorpus.Canned(request);

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("IMAP connected", s_timeout);
        await server.AppendAsync(user, "INBOX", Question("d1@example.com").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));
        await daemon.WaitForLogAsync("IMAP message INBOX #1 waits", s_timeout);

        Assert.Empty(harness.Notes());
        Assert.Equal(0, await CountAsync(user, "Drafts"));

        Volatile.Write(ref down.Value, false);
        await daemon.WaitForLogAsync("IMAP draft", s_timeout);

        Assert.Single(harness.Notes());
        Assert.Equal(1, await CountAsync(user, "Drafts"));
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
        Assert.DoesNotContain("   at ", daemon.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongPassword_OneLineAndTheFolderPipelineKeepsRunning()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = server.NewUser();
        await server.CreateFolderAsync(user, "Drafts");
        await ConfigureAsync(harness, user with { Password = "not-the-password" }, createDrafts: false);

        await using var daemon = InProcessDaemon.Start(harness.Arguments("run"));
        await daemon.WaitForLogAsync("IMAP source is stopped", s_timeout);
        await daemon.WaitForLogAsync("Watching", s_timeout);
        harness.Drop(Question("f1@example.com"), "after.eml");
        await daemon.WaitUntilAsync(() => harness.Notes().Count == 1 && harness.InboxLeft().Count == 0, s_timeout, "the inbox file was not processed");

        Assert.False(daemon.HasExited, daemon.Error);
        Assert.Single(daemon.Error.Split('\n'), l => l.Contains("IMAP source is stopped", StringComparison.Ordinal));
        Assert.Contains(user.Name, daemon.Error, StringComparison.Ordinal);
        daemon.Terminate();
        Assert.Equal(0, await daemon.WaitForExitAsync(s_timeout));
    }

    [Fact]
    public async Task Run_KilledRightAfterTheDraftAppend_NoSecondCopyAfterRestart()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var user = await ConfigureAsync(harness, server.NewUser());
        await using (var daemon = ChildDaemon.Start(harness.Arguments("run")))
        {
            await daemon.WaitForLogAsync("IMAP connected", s_timeout);
            await server.AppendAsync(user, "INBOX", Question("k1@example.com").Build(), DateTimeOffset.UtcNow.AddMinutes(-1));

            // Logged between the APPEND and the return to the pipeline, before the thread is committed.
            await daemon.WaitForLogAsync("IMAP draft", s_timeout);
            await daemon.KillAsync();
        }

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Equal(1, await CountAsync(user, "Drafts"));
        Assert.Single(harness.Notes());
        Assert.Single(harness.Drafts());
    }

    private async Task<DovecotUser> ConfigureAsync(DaemonHarness harness, DovecotUser user, bool createDrafts = true)
    {
        if (createDrafts)
        {
            await server.CreateFolderAsync(user, "Drafts");
        }

        harness.Settings.AddRange(
        [
            "--ReplyDrafter:Inbox:RescanInterval=00:00:01",
            "--ReplyDrafter:Llm:BreakDuration=00:00:01",
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + server.Port.ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:Password=" + user.Password,
        ]);
        return user;
    }

    private static MimeMessageBuilder Question(string id) =>
        MimeMessageBuilder.ToMe(id, "Question " + id, "Can you help with " + id + "?", "Alice", "alice@example.com", DateTimeOffset.UtcNow.AddMinutes(-5));

    private async Task<int> CountAsync(DovecotUser user, string name)
    {
        using var client = await server.ConnectAsync(user);
        var folder = await client.GetFolderAsync(name);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        int count = folder.Count;
        await client.DisconnectAsync(true);
        return count;
    }
}
