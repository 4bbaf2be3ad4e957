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
        using var llm = new TestLlm(options);
        var client = llm.Client;
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
        Assert.Equal(response with { Value = default, WireRequestBody = null, Latency = default, AttemptLog = null }, response2 with { Value = default, WireRequestBody = null, Latency = default, AttemptLog = null });
        Assert.Equal(response.AttemptLog!.Select(a => (a.Number, a.Outcome, a.RawText)), response2.AttemptLog!.Select(a => (a.Number, a.Outcome, a.RawText)));
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
        Assert.Equal(2, (int?)root["version"]);
        var attempt = Assert.Single(root["attempts"]!.AsArray());
        Assert.Equal("answer", (string?)attempt!["outcome"]);
        Assert.Equal(response.RawText, (string?)attempt["raw_text"]);
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

    /// <summary>Exactly what the version 1 writer (before typed records) produced for a replayed draft.</summary>
    private const string Version1Record = """
{
  "format": "replydrafter-prompt-record",
  "version": 1,
  "created": "2026-01-05T09:30:00.0000000+00:00",
  "step": "draft-reply",
  "template": {
    "name": "draft-reply",
    "path": "prompts/draft-reply.prompty",
    "sha256": "3f1c0ffee",
    "variables": {
      "me_name": "Pat Me",
      "thread": "Budget by Friday?"
    }
  },
  "provider": {
    "name": "OpenAI",
    "endpoint_host": "127.0.0.1:5000",
    "model": "fake-model",
    "api_version": null,
    "sdk_versions": {
      "OpenAI": "2.15.0"
    }
  },
  "request": {
    "model": "fake-model",
    "temperature": 0.3,
    "top_p": null,
    "max_output_tokens": 1500,
    "seed": 7,
    "response_format": {
      "type": "json_schema",
      "name": "draft-reply",
      "strict": true,
      "schema": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "key_points",
          "body"
        ],
        "properties": {
          "key_points": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "body": {
            "type": "string"
          }
        }
      }
    },
    "messages": [
      {
        "role": "system",
        "content": "You draft email replies for Pat Me. Today is 2026-01-05."
      },
      {
        "role": "user",
        "content": "The thread:\n<untrusted name=\"thread\">Budget by Friday?</untrusted>"
      }
    ],
    "wire_body": {
      "messages": [
        {
          "role": "system",
          "content": "x"
        }
      ],
      "model": "fake-model"
    }
  },
  "response": {
    "raw_text": "{\"key_points\":[\"Confirm Friday\"],\"body\":\"Hi Alice,\\n\\nYes, by Friday.\"}",
    "parsed": {
      "key_points": [
        "Confirm Friday"
      ],
      "body": "Hi Alice,\n\nYes, by Friday."
    },
    "finish_reason": "stop",
    "system_fingerprint": "fp_fake_0001",
    "model": "fake-model",
    "usage": {
      "input_tokens": 120,
      "output_tokens": 20,
      "total_tokens": 140
    },
    "latency_ms": 1234,
    "attempts": 2,
    "completed": "2026-01-05T09:30:01.2340000+00:00"
  },
  "thread": {
    "message_ids": [
      "<m1@example.com>"
    ]
  },
  "produced_files": [
    "Outbox/2026-01-05_Reply-To_Budget.md"
  ],
  "produced_sha256": {
    "Outbox/2026-01-05_Reply-To_Budget.md": "ab12"
  },
  "document": {
    "key_points": [
      "Confirm Friday"
    ],
    "body": "Hi Alice,\n\nYes, by Friday."
  },
  "replay": {
    "of": "Outbox/_prompts/x.prompt.json",
    "mode": "online"
  }
}
"""; // closing at column 0: the literal is the file as written, byte for byte

    [Fact]
    public void Parse_Version1Record_ReadsEveryFieldForReplay()
    {
        var record = PromptRecord.Parse(Version1Record);

        Assert.Equal("draft-reply", record.Request.Step);
        Assert.Equal(new TemplateSource("draft-reply", "prompts/draft-reply.prompty", "3f1c0ffee", record.Request.Template.Variables), record.Request.Template);
        Assert.Equal("Budget by Friday?", record.Request.Template.Variables["thread"]);
        Assert.Equal(["system", "user"], record.Request.Messages.Select(m => m.Role.Value));
        Assert.Equal("The thread:\n<untrusted name=\"thread\">Budget by Friday?</untrusted>", record.Request.Messages[1].Text);
        Assert.Equal(("fake-model", 0.3, (double?)null, 1500, 7L, "draft-reply"), (record.Request.Settings.Model, record.Request.Settings.Temperature, record.Request.Settings.TopP, record.Request.Settings.MaxOutputTokens, record.Request.Settings.Seed, record.Request.Settings.SchemaName));
        Assert.Equal(["key_points", "body"], record.Request.Settings.OutputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["<m1@example.com>"], record.Request.MessageIds);
        Assert.Equal("Hi Alice,\n\nYes, by Friday.", record.Response.Value.GetProperty("body").GetString());
        Assert.Equal(new LlmUsage(120, 20, 140), record.Response.Usage);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), record.Response.Latency);
        Assert.Equal(2, record.Response.Attempts);
        Assert.Null(record.Response.AttemptLog);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 30, 1, 234, TimeSpan.Zero), record.Response.Completed);
        Assert.Equal("{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}],\"model\":\"fake-model\"}", record.Response.WireRequestBody);
        Assert.Equal(("OpenAI", "127.0.0.1:5000", (string?)null), (record.Provider.Provider, record.Provider.EndpointHost, record.Provider.ApiVersion));
        Assert.Equal(["Outbox/2026-01-05_Reply-To_Budget.md"], record.ProducedFiles);
        Assert.Equal("ab12", record.ProducedSha256["Outbox/2026-01-05_Reply-To_Budget.md"]);
        Assert.Equal("Confirm Friday", (string?)record.Document!["key_points"]![0]);
    }

    [Fact]
    public void ToJson_Version1RecordReadBack_WritesTheSameRequestAgain()
    {
        var v1 = PromptRecord.Parse(Version1Record);

        string again = PromptRecord.ToJson(v1.Request, v1.Response, v1.Provider, v1.ProducedFiles, v1.Document, v1.ProducedSha256);
        var (request, response, _, _, document, _) = PromptRecord.Parse(again);

        Assert.Equal(v1.Request.Messages.Select(m => (m.Role, m.Text)), request.Messages.Select(m => (m.Role, m.Text)));
        Assert.True(JsonElement.DeepEquals(v1.Request.Settings.OutputSchema, request.Settings.OutputSchema));
        Assert.Equal(v1.Response.Completed - v1.Response.Latency, DateTimeOffset.Parse((string)JsonNode.Parse(again)!["created"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(v1.Response.RawText, response.RawText);
        Assert.True(JsonNode.DeepEquals(v1.Document, document));
    }

    [Fact]
    public void ToJson_ResponseWithReasks_ListsEveryAttemptWithItsProblems()
    {
        var v1 = PromptRecord.Parse(Version1Record);
        var started = new DateTimeOffset(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
        var response = v1.Response with
        {
            Attempts = 3,
            AttemptLog =
            [
                new LlmAttempt(1, started, LlmAttempt.Fault, null, ["HTTP 503"]),
                new LlmAttempt(2, started.AddSeconds(2), LlmAttempt.Invalid, "{\"body\":1}", ["/body: Value is \"integer\" but should be \"string\""]),
                new LlmAttempt(3, started.AddSeconds(3), LlmAttempt.Answer, v1.Response.RawText, []),
            ],
        };

        var back = PromptRecord.Parse(PromptRecord.ToJson(v1.Request, response, v1.Provider, v1.ProducedFiles)).Response;

        Assert.Equal(3, back.Attempts);
        Assert.Equal(response.AttemptLog!.Select(a => (a.Number, a.Started, a.Outcome, a.RawText)), back.AttemptLog!.Select(a => (a.Number, a.Started, a.Outcome, a.RawText)));
        Assert.Equal(response.AttemptLog!.Select(a => a.Problems), back.AttemptLog!.Select(a => a.Problems));
    }
}
