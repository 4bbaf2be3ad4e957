using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Cli;

/// <summary><c>replay PROMPT.json</c> against a processed vault and a loopback server that logs what it receives.</summary>
public sealed class ReplayTests
{
    private static async Task<DaemonHarness> ProcessedVaultAsync()
    {
        var harness = await DaemonHarness.StartAsync();
        harness.Drop(
            MimeMessageBuilder.Create()
                .MessageId("budget-1@example.com")
                .From("Alice Example", "alice@example.com")
                .To(DaemonHarness.MyName, DaemonHarness.MyEmail)
                .Subject("Budget for Q3")
                .Date(new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero))
                .PlainBody("Can you send the revised Q3 budget before Friday?"),
            "budget.eml");
        var (code, _, error) = await harness.RunOnceAsync();
        Assert.True(code == 0, error);
        Assert.Single(harness.Drafts());
        Assert.Single(harness.Notes());
        return harness;
    }

    private static string DraftRecord(DaemonHarness harness) => (string)harness.FrontmatterOf(harness.Drafts().Single())["prompt_file"]!;

    private static string NoteRecord(DaemonHarness harness) => (string)harness.FrontmatterOf(harness.Notes().Single())["prompt_file"]!;

    private static JsonObject ReadJson(DaemonHarness harness, string relative) => JsonNode.Parse(File.ReadAllText(harness.Vault.Path(relative)))!.AsObject();

    /// <summary>Hash of every file in the vault except the log folder.</summary>
    private static Dictionary<string, string> Snapshot(DaemonHarness harness) =>
        harness.Vault.Files()
            .Where(f => !f.StartsWith(".replydrafter/logs/", StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(harness.Vault.Path(f)))), StringComparer.Ordinal);

    private static void AssertOriginalsUnchanged(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        foreach (var (file, hash) in before)
        {
            Assert.True(after.TryGetValue(file, out var now), $"{file} is gone");
            Assert.True(hash == now, $"{file} changed");
        }
    }

    private static List<string> NewFiles(Dictionary<string, string> before, Dictionary<string, string> after) =>
        after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();

    private static JsonObject LastRequestBody(DaemonHarness harness) => JsonNode.Parse(harness.Server.ChatRequests[^1].Body)!.AsObject();

    private static JsonObject Without(JsonObject body, string key)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove(key);
        return copy;
    }

    [Fact]
    public async Task Replay_DraftRecord_ResendsTheRecordedWireRequestAndWritesBesideTheOriginal()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var original = ReadJson(harness, recordPath);
        var before = Snapshot(harness);
        var calls = harness.Server.ChatRequestCount;
        harness.Server.Responder = _ => FakeLlmReply.Json(new JsonObject
        {
            ["key_points"] = new JsonArray("Confirm the budget arrives by Friday"),
            ["body"] = "Hi Alice,\n\nThe revised budget is attached.",
        }.ToJsonString());

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath));

        Assert.True(code == 0, error);
        Assert.Equal(calls + 1, harness.Server.ChatRequestCount);
        var sent = LastRequestBody(harness);
        var recordedWire = original["request"]!["wire_body"]!;
        Assert.True(JsonNode.DeepEquals(recordedWire, sent), $"sent {sent.ToJsonString()}\nrecorded {recordedWire.ToJsonString()}");
        Assert.Equal(FakeLlmServer.Model, (string?)sent["model"]);
        Assert.NotNull(sent["response_format"]);

        var after = Snapshot(harness);
        AssertOriginalsUnchanged(before, after);
        var added = NewFiles(before, after);
        Assert.Equal(2, added.Count);
        var draft = added.Single(f => f.EndsWith(".md", StringComparison.Ordinal));
        var record = added.Single(f => f.EndsWith(".prompt.json", StringComparison.Ordinal));
        Assert.StartsWith(Path.GetFileNameWithoutExtension(harness.Drafts()[0]) + ".replay-", Path.GetFileName(draft), StringComparison.Ordinal);
        Assert.StartsWith("Outbox/", draft, StringComparison.Ordinal);
        Assert.StartsWith("Outbox/_prompts/", record, StringComparison.Ordinal);
        Assert.Equal(Path.GetFileNameWithoutExtension(draft) + ".prompt.json", Path.GetFileName(record));

        var frontmatter = harness.FrontmatterOf(draft);
        Assert.Equal("replay", frontmatter["status"]);
        Assert.Equal(record, frontmatter["prompt_file"]);
        var newRecord = ReadJson(harness, record);
        Assert.Equal(draft, (string?)newRecord["produced_files"]![0]);
        Assert.Equal(recordPath, (string?)newRecord["replay"]!["of"]);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, File.ReadAllText(harness.Vault.Path(record)), StringComparison.Ordinal);

        // The diff shows the new body against the original file, and the fingerprint is compared.
        Assert.Contains("Changes against " + harness.Drafts().Single(d => !d.Contains(".replay-", StringComparison.Ordinal)), output, StringComparison.Ordinal);
        Assert.Contains("+ The revised budget is attached.", output, StringComparison.Ordinal);
        Assert.Contains("- Thanks for the reminder. I will send the revised Q3 budget by Thursday evening.", output, StringComparison.Ordinal);
        Assert.Contains("System fingerprint: unchanged (" + FakeLlmServer.Fingerprint + ")", output, StringComparison.Ordinal);
        Assert.Contains("Tokens: recorded", output, StringComparison.Ordinal);

        // A replayed draft is not a draft awaiting review.
        var (statusCode, status, _) = await CommandLineTests.InvokeAsync(harness.Arguments("status", "--json"));
        Assert.Equal(0, statusCode);
        Assert.Single(JsonNode.Parse(status)!["pending_drafts"]!.AsArray());
    }

    [Fact]
    public async Task Replay_NoteRecordByAbsolutePath_SendsTheSameRequest()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = NoteRecord(harness);
        var original = ReadJson(harness, recordPath);
        var before = Snapshot(harness);

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", harness.Vault.Path(recordPath)));

        Assert.True(code == 0, error);
        Assert.True(JsonNode.DeepEquals(original["request"]!["wire_body"], LastRequestBody(harness)));
        var after = Snapshot(harness);
        AssertOriginalsUnchanged(before, after);
        var note = NewFiles(before, after).Single(f => f.EndsWith(".md", StringComparison.Ordinal));
        Assert.StartsWith("Notes/", note, StringComparison.Ordinal);
        Assert.Contains("(no change)", output, StringComparison.Ordinal); // same canned answer, same rendering
        Assert.Equal(Frontmatter.Body(File.ReadAllText(harness.Vault.Path(harness.Notes()[0]))), Frontmatter.Body(File.ReadAllText(harness.Vault.Path(note))));
    }

    [Fact]
    public async Task Replay_ModelOverride_ChangesOnlyTheModel()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var recorded = ReadJson(harness, recordPath)["request"]!["wire_body"]!.AsObject();

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath, "--model", "other-model"));

        Assert.True(code == 0, error);
        var sent = LastRequestBody(harness);
        Assert.Equal("other-model", (string?)sent["model"]);
        Assert.True(JsonNode.DeepEquals(Without(recorded, "model"), Without(sent, "model")));
        Assert.Contains("model overridden: fake-model -> other-model", output, StringComparison.Ordinal);
        var draft = harness.Drafts().Single(d => d.Contains(".replay-", StringComparison.Ordinal));
        Assert.EndsWith("-other-model.md", draft, StringComparison.Ordinal);
        Assert.Equal("other-model", harness.FrontmatterOf(draft)["ai_model"]);
    }

    [Fact]
    public async Task Replay_TemperatureOverride_ChangesOnlyTheTemperature()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = NoteRecord(harness);
        var recorded = ReadJson(harness, recordPath)["request"]!["wire_body"]!.AsObject();
        Assert.NotEqual(0.9, (double)recorded["temperature"]!);

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath, "--temperature", "0.9"));

        Assert.True(code == 0, error);
        var sent = LastRequestBody(harness);
        Assert.Equal(0.9, (double)sent["temperature"]!, 5);
        Assert.True(JsonNode.DeepEquals(Without(recorded, "temperature"), Without(sent, "temperature")));
    }

    [Fact]
    public async Task Replay_Offline_MakesNoCallAndRendersTheRecordedAnswerAgain()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var originalDraft = harness.Drafts().Single();
        var before = Snapshot(harness);
        var calls = harness.Server.Requests.Count;

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath, "--offline"));

        Assert.True(code == 0, error);
        Assert.Equal(calls, harness.Server.Requests.Count);
        var after = Snapshot(harness);
        AssertOriginalsUnchanged(before, after);
        var draft = NewFiles(before, after).Single(f => f.EndsWith(".md", StringComparison.Ordinal));
        Assert.Equal(Frontmatter.Body(File.ReadAllText(harness.Vault.Path(originalDraft))), Frontmatter.Body(File.ReadAllText(harness.Vault.Path(draft))));
        Assert.Contains("offline", output, StringComparison.Ordinal);
        Assert.Contains("(no change)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OriginalEdited_DiffsAgainstTheRecordedAnswerAndSaysSo()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var originalDraft = harness.Drafts().Single();
        File.AppendAllText(harness.Vault.Path(originalDraft), "\nMy own edit.\n");

        var (code, output, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath, "--offline"));

        Assert.True(code == 0, error);
        Assert.Contains("was edited after it was written", output, StringComparison.Ordinal);
        Assert.Contains("(no change)", output, StringComparison.Ordinal);
        Assert.EndsWith("\nMy own edit.\n", File.ReadAllText(harness.Vault.Path(originalDraft)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_AReplayRecord_IsItselfReplayable()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var recorded = ReadJson(harness, recordPath)["request"]!["wire_body"]!;
        Assert.Equal(0, (await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath))).ExitCode);
        var replayRecord = (string)harness.FrontmatterOf(harness.Drafts().Single(d => d.Contains(".replay-", StringComparison.Ordinal)))["prompt_file"]!;

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", replayRecord));

        Assert.True(code == 0, error);
        Assert.True(JsonNode.DeepEquals(recorded, LastRequestBody(harness)));
        Assert.Equal(3, harness.Drafts().Count);
    }

    [Fact]
    public async Task Replay_LlmRefuses_Exit1WithTheReasonAndWritesNothing()
    {
        await using var harness = await ProcessedVaultAsync();
        var recordPath = DraftRecord(harness);
        var before = Snapshot(harness);
        harness.Server.Enqueue(FakeLlmReply.Unauthorized());

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", recordPath));

        Assert.Equal(1, code);
        Assert.Contains("ReplyDrafter:Llm:ApiKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, error, StringComparison.Ordinal);
        Assert.Empty(NewFiles(before, Snapshot(harness)));
    }

    [Theory]
    [InlineData("corrupt", "not valid JSON")]
    [InlineData("foreign", "is not a prompt record")]
    [InlineData("newer", "format version 99")]
    [InlineData("missing", "no such prompt record")]
    [InlineData("no-document", "older ReplyDrafter")]
    public async Task Replay_BadRecord_Exit2WithOneLineNamingTheFile(string kind, string expected)
    {
        await using var harness = await ProcessedVaultAsync();
        var good = ReadJson(harness, DraftRecord(harness));
        var path = harness.Vault.Path("Outbox/_prompts/bad.prompt.json");
        switch (kind)
        {
            case "corrupt":
                File.WriteAllText(path, "{\"format\": \"replydrafter-prompt-record\", \"version\": 1, ");
                break;
            case "foreign":
                File.WriteAllText(path, "{\"name\": \"some other tool\", \"version\": 1}");
                break;
            case "newer":
                good["version"] = 99;
                File.WriteAllText(path, good.ToJsonString());
                break;
            case "no-document":
                good.Remove("document");
                File.WriteAllText(path, good.ToJsonString());
                break;
        }

        var before = Snapshot(harness);
        var calls = harness.Server.ChatRequestCount;

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", "Outbox/_prompts/bad.prompt.json"));

        Assert.Equal(2, code);
        Assert.Contains("bad.prompt.json", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(calls, harness.Server.ChatRequestCount);
        Assert.Empty(NewFiles(before, Snapshot(harness)));
    }

    [Fact]
    public async Task Replay_OfflineWithModel_Exit2()
    {
        await using var harness = await ProcessedVaultAsync();

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", DraftRecord(harness), "--offline", "--model", "x"));

        Assert.Equal(2, code);
        Assert.Contains("--offline", error, StringComparison.Ordinal);
    }
}
