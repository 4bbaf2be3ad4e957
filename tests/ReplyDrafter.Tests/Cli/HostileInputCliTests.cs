using System.Text;
using System.Text.Json.Nodes;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Cli;

/// <summary>Commands facing hostile input: credentials in the endpoint, control characters in file names, crafted prompt records.</summary>
public sealed class HostileInputCliTests
{
    private const string Secret = "user:key@";
    private const string QuerySecret = "key=abc";

    private static async Task<DaemonHarness> ProcessedVaultAsync(string subject = "Budget for Q3")
    {
        var harness = await DaemonHarness.StartAsync();
        harness.Drop(MimeMessageBuilder.ToMe("a@example.com", subject), "a.eml");
        var (code, _, error) = await harness.RunOnceAsync();
        Assert.True(code == 0, error);
        return harness;
    }

    [Fact]
    public async Task Status_EndpointWithCredentials_NeverPrintsThemInTextOrJson()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var endpoint = new Uri(harness.Server.OpenAIEndpoint);
        harness.Settings.Add($"--ReplyDrafter:Llm:Endpoint={endpoint.Scheme}://{Secret}{endpoint.Authority}{endpoint.AbsolutePath}?{QuerySecret}");

        var text = await CommandLineTests.InvokeAsync(harness.Arguments("status"));
        var json = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        foreach (var (_, output, error) in new[] { text, json })
        {
            Assert.Contains(endpoint.Authority, output, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, output + error, StringComparison.Ordinal);
            Assert.DoesNotContain(QuerySecret, output + error, StringComparison.Ordinal);
        }

        Assert.NotNull(JsonNode.Parse(json.Output));
    }

    [Fact]
    public async Task Validation_BadEndpointWithCredentials_Exit2WithoutThem()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Settings.Add($"--ReplyDrafter:Llm:Endpoint=ftp://{Secret}host.example/v1?{QuerySecret}");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Llm:Endpoint", error, StringComparison.Ordinal);
        Assert.True(!(output + error).Contains(Secret, StringComparison.Ordinal), output + error);
        Assert.DoesNotContain(QuerySecret, output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_FileNameWithNewlineAndAnsiEscape_LoggedEscaped()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.DropText("evil\n[ERR] forged line\u001b[31m.xyz", "not mail");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("run", "--once"));

        Assert.Equal(1, code);
        var all = output + error;
        Assert.Contains("evil\\n[ERR] forged line\\e[31m.xyz", all, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[31m", all, StringComparison.Ordinal);
        Assert.DoesNotContain("\n[ERR] forged", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_LinkToDevZeroAndFifoInTheInbox_FlaggedAsNotReadWithoutOpeningThem()
    {
        await using var harness = await DaemonHarness.StartAsync();
        File.CreateSymbolicLink(Path.Combine(harness.Vault.Layout.Inbox, "zero.eml"), "/dev/zero");
        using (var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [Path.Combine(harness.Vault.Layout.Inbox, "p.eml")]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("status"));
        var json = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));

        Assert.True(code == 0, error);
        Assert.Contains("zero.eml (not read: it is a symbolic link", output, StringComparison.Ordinal);
        Assert.Contains("p.eml (not read: it is a named pipe", output, StringComparison.Ordinal);
        var waiting = JsonNode.Parse(json.Output)!["waiting"]!.AsArray();
        Assert.Equal(2, waiting.Count);
        Assert.All(waiting, w => Assert.False(string.IsNullOrEmpty((string?)w!["not_read"])));
    }

    [Theory]
    [InlineData(".obsidian/snippets/x.css")]
    [InlineData(".replydrafter/logs/x.log")]
    [InlineData("Inbox/x.eml")]
    [InlineData("Notes/../Inbox/x.md")]
    [InlineData("/tmp/x.md")]
    public async Task Replay_RecordNamingAFileOutsideNotesOrDrafts_Exit2AndWritesNothing(string produced)
    {
        await using var harness = await ProcessedVaultAsync();
        var record = JsonNode.Parse(File.ReadAllText(harness.Vault.Path(NoteRecord(harness))))!.AsObject();
        record["produced_files"] = new JsonArray(produced);
        File.WriteAllText(harness.Vault.Path("Outbox/_prompts/crafted.prompt.json"), record.ToJsonString());
        var before = harness.Vault.Files();

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", "Outbox/_prompts/crafted.prompt.json", "--offline"));

        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("nothing was written", error, StringComparison.Ordinal);
        Assert.Equal(before, harness.Vault.Files());
        Assert.False(File.Exists(harness.Vault.Path(".obsidian/snippets/x.css")));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData(42)]
    public async Task Replay_DamagedSourceRef_Exit2WithOneLineAndNoStackTrace(object sourceRef)
    {
        await using var harness = await ProcessedVaultAsync();
        var record = JsonNode.Parse(File.ReadAllText(harness.Vault.Path(NoteRecord(harness))))!.AsObject();
        record["document"]!["source_ref"] = sourceRef is int number ? JsonValue.Create(number) : JsonValue.Create((string)sourceRef);
        File.WriteAllText(harness.Vault.Path("Outbox/_prompts/damaged.prompt.json"), record.ToJsonString());
        var before = harness.Vault.Files();

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", "Outbox/_prompts/damaged.prompt.json", "--offline"));

        Assert.Equal(2, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("damaged.prompt.json", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, harness.Vault.Files());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Replay_NoteWhoseSubjectIs100Hangul_WritesNamesWithinTheFileSystemLimit()
    {
        var subject = string.Concat(Enumerable.Repeat("한", 100));
        await using var harness = await ProcessedVaultAsync(subject);

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", NoteRecord(harness), "--model", "a-rather-long-model-name-for-this-test-x"));

        Assert.True(code == 0, error);
        Assert.Equal(2, harness.Notes().Count);
        Assert.All(harness.Vault.Files(), f => Assert.True(Encoding.UTF8.GetByteCount(Path.GetFileName(f)) <= 255, f));
        Assert.Contains(harness.Notes(), n => n.Contains("한한한", StringComparison.Ordinal) && n.Contains(".replay-", StringComparison.Ordinal));

        // The replay's prompt record holds the full mail text: owner-only, like the pipeline's.
        var records = Directory.GetFiles(harness.Vault.Layout.PromptRecords, "*.replay-*");
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal(ReplyDrafter.Security.PrivateFiles.PrivateFileMode, File.GetUnixFileMode(r)));
    }

    private static string NoteRecord(DaemonHarness harness) => (string)harness.FrontmatterOf(harness.Notes().Single())["prompt_file"]!;
}
