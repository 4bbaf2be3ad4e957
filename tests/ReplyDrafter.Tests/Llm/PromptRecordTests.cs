using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Llm;

public sealed class PromptRecordTests
{
    private static readonly string[] Produced = ["Notes/Budget-review.md", "Outbox/2026-01-05_Reply-To_Budget-review.md"];

    private static async Task<(LlmRequest Request, LlmResponse Response, ProviderInfo Provider)> RealCallAsync(FakeLlmServer server)
    {
        var options = server.CreateOptions();
        using var client = new LlmClient(Options.Create(options), TimeProvider.System, new ListLogger<LlmClient>());
        var request = LlmTestSupport.ShippedTemplate("thread-note").Prepare(
            "thread-note",
            "prompts/thread-note.prompty",
            LlmTestSupport.NoteVariables("Crème brûlée — 日本語 \"quoted\" </untrusted> {{today}}"),
            options,
            ["<m1@example.com>", "<m2@example.com>"]);
        var response = await client.SendAsync(request, CancellationToken.None);
        return (request, response, client.Provider);
    }

    [Fact]
    public async Task ToJson_ThenParse_GivesBackTheSameRequestAndResponse()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (request, response, provider) = await RealCallAsync(server);

        string json = PromptRecord.ToJson(request, response, provider, Produced);
        var (request2, response2, provider2, produced2, _, _) = PromptRecord.Parse(json);

        Assert.Equal(request.Step, request2.Step);
        Assert.Equal(request.Template.Name, request2.Template.Name);
        Assert.Equal(request.Template.Path, request2.Template.Path);
        Assert.Equal(request.Template.Sha256, request2.Template.Sha256);
        Assert.Equal(request.Template.Variables, request2.Template.Variables);
        Assert.Equal(request.Messages.Select(m => (m.Role, m.Text)), request2.Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal(request.Settings with { OutputSchema = default }, request2.Settings with { OutputSchema = default });
        Assert.True(JsonElement.DeepEquals(request.Settings.OutputSchema, request2.Settings.OutputSchema));
        Assert.Equal(request.MessageIds, request2.MessageIds);

        Assert.Equal(response.RawText, response2.RawText);
        Assert.True(JsonElement.DeepEquals(response.Value, response2.Value));
        Assert.Equal(response with { Value = default, WireRequestBody = null, Latency = default }, response2 with { Value = default, WireRequestBody = null, Latency = default });
        Assert.Equal(Math.Round(response.Latency.TotalMilliseconds), response2.Latency.TotalMilliseconds);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(response.WireRequestBody!), JsonNode.Parse(response2.WireRequestBody!)));

        Assert.Equal(provider with { SdkVersions = null! }, provider2 with { SdkVersions = null! });
        Assert.Equal(provider.SdkVersions, provider2.SdkVersions);
        Assert.Equal(Produced, produced2);
    }

    [Fact]
    public async Task ToJson_WritesTheDocumentedShape_WithoutSecretsOrEscapes()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (request, response, provider) = await RealCallAsync(server);

        string json = PromptRecord.ToJson(request, response, provider, Produced);
        var root = JsonNode.Parse(json)!;

        Assert.DoesNotContain(FakeLlmServer.ApiKey, json, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Crème brûlée — 日本語", json, StringComparison.Ordinal);
        Assert.Contains("\n  \"format\"", json, StringComparison.Ordinal);
        Assert.Equal(PromptRecord.FormatName, (string?)root["format"]);
        Assert.Equal(1, (int?)root["version"]);
        Assert.Equal("thread-note", (string?)root["step"]);
        Assert.Equal("prompts/thread-note.prompty", (string?)root["template"]!["path"]);
        Assert.Equal(new Uri(server.BaseUrl).Authority, (string?)root["provider"]!["endpoint_host"]);
        Assert.Equal("json_schema", (string?)root["request"]!["response_format"]!["type"]);
        Assert.Equal("object", (string?)root["request"]!["response_format"]!["schema"]!["type"]);
        Assert.Equal(0.3, (double?)root["request"]!["temperature"]);
        // The wire body is kept as JSON, so it reads and diffs like the rest.
        Assert.Equal(FakeLlmServer.Model, (string?)root["request"]!["wire_body"]!["model"]);
        Assert.Equal("projects", (string?)root["response"]!["parsed"]!["kind"]);
        Assert.Equal(FakeLlmServer.Fingerprint, (string?)root["response"]!["system_fingerprint"]);
        Assert.NotNull(root["response"]!["usage"]!["total_tokens"]);
        Assert.Equal(2, root["thread"]!["message_ids"]!.AsArray().Count);
        Assert.Equal(Produced, root["produced_files"]!.AsArray().Select(n => (string?)n));
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("[1,2,3]", "not a prompt record")]
    [InlineData("{\"format\":\"something-else\",\"version\":1}", "not a prompt record")]
    [InlineData("{\"format\":\"replydrafter-prompt-record\",\"version\":99}", "format version 99")]
    [InlineData("{\"format\":\"replydrafter-prompt-record\",\"version\":1}", "damaged")]
    public void Parse_ForeignOrDamagedFile_ThrowsFormatExceptionSayingWhy(string json, string why)
    {
        var error = Assert.Throws<FormatException>(() => PromptRecord.Parse(json));
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_RecordWithAFieldRemoved_NamesTheField()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var (request, response, provider) = await RealCallAsync(server);
        var root = JsonNode.Parse(PromptRecord.ToJson(request, response, provider, Produced))!.AsObject();
        root["request"]!.AsObject().Remove("messages");

        var error = Assert.Throws<FormatException>(() => PromptRecord.Parse(root.ToJsonString()));

        Assert.Contains("'messages'", error.Message, StringComparison.Ordinal);
    }
}
