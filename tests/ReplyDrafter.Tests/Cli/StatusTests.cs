using System.Text.Json.Nodes;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Cli;

/// <summary><c>status</c> on real vaults: what is waiting, done, failed and pending, and whether the LLM answers.</summary>
public sealed class StatusTests
{
    private static async Task ProcessAsync(DaemonHarness harness)
    {
        harness.Drop(MimeMessageBuilder.ToMe("a@example.com", "Budget for Q3"), "a.eml");
        harness.DropText("empty.eml", "");
        var (code, _, _) = await harness.RunOnceAsync();
        Assert.Equal(1, code); // the empty file fails
    }

    [Fact]
    public async Task Status_AfterARun_PlainTextShowsProcessedFailedAndPendingDrafts()
    {
        await using var harness = await DaemonHarness.StartAsync();
        await ProcessAsync(harness);
        harness.Drop(MimeMessageBuilder.ToMe("b@example.com", "Later"), "waiting.eml");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));

        Assert.True(code == 0, error);
        Assert.Contains("Waiting:    1 item(s) in the inbox", output, StringComparison.Ordinal);
        Assert.Contains("  waiting.eml (", output, StringComparison.Ordinal);
        Assert.Contains("Processed:  1 today, 1 in total (1 threads and transcripts)", output, StringComparison.Ordinal);
        Assert.Contains("Failed:     1", output, StringComparison.Ordinal);
        Assert.Contains("  empty.eml: ", output, StringComparison.Ordinal);
        Assert.Contains("Drafts:     1 pending", output, StringComparison.Ordinal);
        Assert.Contains("  " + harness.Drafts().Single(), output, StringComparison.Ordinal);
        Assert.Contains(": answers", output, StringComparison.Ordinal);
        Assert.Contains("Ledger:     " + harness.Vault.Layout.LedgerPath, output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestServer.FakeLlmServer.ApiKey, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_ForScripts()
    {
        await using var harness = await DaemonHarness.StartAsync();
        await ProcessAsync(harness);

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(1, (int)json["processed_total"]!);
        Assert.Equal(1, (int)json["processed_today"]!);
        Assert.Empty(json["waiting"]!.AsArray());
        var failed = Assert.Single(json["failed"]!.AsArray());
        Assert.Equal("empty.eml", (string?)failed!["name"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)failed["reason"]));
        Assert.NotEqual("no reason recorded", (string?)failed["reason"]);
        Assert.Equal(harness.Drafts().Single(), (string?)Assert.Single(json["pending_drafts"]!.AsArray()));
        Assert.True((bool)json["llm_reachable"]!);
        Assert.Null(json["llm_problem"]);
        Assert.Equal(harness.Vault.Layout.LedgerPath, (string?)json["ledger"]);
    }

    [Fact]
    public async Task Status_VaultSettingsFile_ListedAmongTheFilesRead()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var vaultSettings = harness.Vault.Path(".replydrafter/settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(vaultSettings)!);
        await File.WriteAllTextAsync(vaultSettings, """{ "ReplyDrafter": { "Me": { "Style": "Terse." } } }""");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        var (_, text, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));

        Assert.True(code == 0, error);
        var files = JsonNode.Parse(output)!["settings_files"]!.AsArray().Select(f => (string?)f).ToList();
        Assert.Equal("vault: " + vaultSettings, files[^1]);
        Assert.Contains(files, f => f!.StartsWith("program: ", StringComparison.Ordinal) && f.EndsWith("appsettings.json", StringComparison.Ordinal));
        Assert.Contains("vault: " + vaultSettings, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DraftNoLongerPending_IsNotCounted()
    {
        await using var harness = await DaemonHarness.StartAsync();
        await ProcessAsync(harness);
        var draft = harness.Vault.Path(harness.Drafts().Single());
        File.WriteAllText(draft, File.ReadAllText(draft).Replace("status: pending", "status: sent", StringComparison.Ordinal));

        var (code, output, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.Equal(0, code);
        Assert.Empty(JsonNode.Parse(output)!["pending_drafts"]!.AsArray());
    }

    [Fact]
    public async Task Status_LlmDown_SaysWhyAndStillReports()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Settings.Add("--ReplyDrafter:Llm:Endpoint=http://127.0.0.1:9/v1");
        harness.Settings.Add("--ReplyDrafter:Llm:AttemptTimeout=00:00:02");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.False((bool)json["llm_reachable"]!);
        Assert.Contains("127.0.0.1:9", (string?)json["llm_problem"], StringComparison.Ordinal);

        var (_, text, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));
        Assert.Contains("NOT usable: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_VaultThatNeverRan_IsNotModified()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Drop(MimeMessageBuilder.ToMe("c@example.com", "New"), "new.eml");
        var before = Entries(harness.Vault.Root);

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        Assert.Equal(before, Entries(harness.Vault.Root));
        Assert.False(File.Exists(harness.Vault.Layout.LedgerPath));
        var json = JsonNode.Parse(output)!;
        Assert.Equal("new.eml", (string?)Assert.Single(json["waiting"]!.AsArray())!["name"]);
        Assert.Equal(0, (int)json["processed_total"]!);
        Assert.Empty(json["pending_drafts"]!.AsArray());
        Assert.Equal(0, harness.Server.ChatRequestCount); // the probe is a model listing, not a chat call
    }

    private static List<string> Entries(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(root, e) + (File.Exists(e) ? ":" + new FileInfo(e).Length : "/"))
            .Order(StringComparer.Ordinal)
            .ToList();
}
