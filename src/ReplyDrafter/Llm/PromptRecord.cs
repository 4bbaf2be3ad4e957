using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace ReplyDrafter.Llm;

/// <summary>
/// The saved record of one LLM call (<c>Outbox/_prompts/*.prompt.json</c>): enough to send the same request again and
/// to tell whether the answer changed. It holds mail content; it never holds a secret.
/// </summary>
/// <remarks>
/// Only what <see cref="LlmRequest"/>, <see cref="LlmResponse"/> and <see cref="ProviderInfo"/> carry goes in, and none of
/// them carries a key or a header. <c>created</c> is when the answer came back. <c>document</c> is what the markdown was
/// rendered from (so <c>replay --offline</c> can render it again); <c>produced_sha256</c> tells whether a produced file
/// was edited since. Records hold mail text: they are never logged.
/// </remarks>
internal static class PromptRecord
{
    public const int FormatVersion = 1;

    public const string FormatName = "replydrafter-prompt-record";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Missing or null members of a recorded document are damage, not defaults.
    private static readonly JsonSerializerOptions DocumentOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Serializes the record as indented JSON.</summary>
    /// <param name="document">What the markdown was rendered from (<see cref="DocumentToJson{T}"/>), for offline replay.</param>
    /// <param name="producedSha256">SHA-256 of each produced file's text as written, by vault-relative path.</param>
    /// <param name="replay">For a replay: which record it replays and how.</param>
    public static string ToJson(
        LlmRequest request,
        LlmResponse response,
        ProviderInfo provider,
        IReadOnlyList<string> producedFiles,
        JsonNode? document = null,
        IReadOnlyDictionary<string, string>? producedSha256 = null,
        JsonObject? replay = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(producedFiles);

        var settings = request.Settings;
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            // When the request went out: the answer's time minus the latency (retries included).
            ["created"] = (response.Completed - response.Latency).ToString("O", CultureInfo.InvariantCulture),
            ["step"] = request.Step,
            ["template"] = new JsonObject
            {
                ["name"] = request.Template.Name,
                ["path"] = request.Template.Path,
                ["sha256"] = request.Template.Sha256,
                ["variables"] = StringMap(request.Template.Variables),
            },
            ["provider"] = new JsonObject
            {
                ["name"] = provider.Provider,
                ["endpoint_host"] = provider.EndpointHost,
                ["model"] = provider.Model,
                ["api_version"] = provider.ApiVersion,
                ["sdk_versions"] = StringMap(provider.SdkVersions),
            },
            ["request"] = new JsonObject
            {
                ["model"] = settings.Model,
                ["temperature"] = settings.Temperature,
                ["top_p"] = settings.TopP,
                ["max_output_tokens"] = settings.MaxOutputTokens,
                ["seed"] = settings.Seed,
                ["response_format"] = new JsonObject
                {
                    ["type"] = "json_schema",
                    ["name"] = settings.SchemaName,
                    ["strict"] = true,
                    ["schema"] = JsonNode.Parse(settings.OutputSchema.GetRawText()),
                },
                ["messages"] = new JsonArray(request.Messages
                    .Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })
                    .ToArray()),
                ["wire_body"] = WireBody(response.WireRequestBody),
            },
            ["response"] = new JsonObject
            {
                ["raw_text"] = response.RawText,
                ["parsed"] = JsonNode.Parse(response.Value.GetRawText()),
                ["finish_reason"] = response.FinishReason,
                ["system_fingerprint"] = response.SystemFingerprint,
                ["model"] = response.ResponseModel,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = response.Usage.InputTokens,
                    ["output_tokens"] = response.Usage.OutputTokens,
                    ["total_tokens"] = response.Usage.TotalTokens,
                },
                ["latency_ms"] = (long)Math.Round(response.Latency.TotalMilliseconds),
                ["attempts"] = response.Attempts,
                ["completed"] = response.Completed.ToString("O", CultureInfo.InvariantCulture),
            },
            ["thread"] = new JsonObject
            {
                ["message_ids"] = new JsonArray(request.MessageIds.Select(id => (JsonNode?)id).ToArray()),
            },
            ["produced_files"] = new JsonArray(producedFiles.Select(f => (JsonNode?)f).ToArray()),
        };
        if (producedSha256 is not null)
        {
            root["produced_sha256"] = StringMap(producedSha256);
        }

        if (document is not null)
        {
            root["document"] = document.DeepClone();
        }

        if (replay is not null)
        {
            root["replay"] = replay.DeepClone();
        }

        return root.ToJsonString(WriteOptions) + "\n";
    }

    /// <summary>A note or draft document as the record's <c>document</c> (snake_case).</summary>
    public static JsonNode DocumentToJson<T>(T document)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeToNode(document, DocumentOptions)!;
    }

    /// <summary>Reads a recorded <c>document</c> back; <see cref="FormatException"/> when it does not fit <typeparamref name="T"/>.</summary>
    public static T DocumentFromJson<T>(JsonNode document)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            return document.Deserialize<T>(DocumentOptions) ?? throw new FormatException("'document' is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The prompt record is damaged: its 'document' does not read ({e.Message}).", e);
        }
    }

    /// <summary>Reads a record back into the request it describes (for replay). Throws <see cref="FormatException"/> for a foreign or corrupt file.</summary>
    public static PromptRecordData Parse(string json)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json ?? "", documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"This is not a prompt record: it is not valid JSON ({e.Message}).", e);
        }

        if (parsed is not JsonObject root || root["format"]?.GetValueKind() != JsonValueKind.String ||
            root["format"]!.GetValue<string>() != FormatName)
        {
            throw new FormatException($"This is not a prompt record: 'format' is not '{FormatName}'.");
        }

        try
        {
            return Read(root);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or KeyNotFoundException or FormatException or OverflowException)
        {
            throw new FormatException($"The prompt record is damaged: {e.Message}", e);
        }
    }

    private static PromptRecordData Read(JsonObject root)
    {
        int version = Required(root, "version").GetValue<int>();
        if (version > FormatVersion)
        {
            throw new FormatException(
                $"The prompt record has format version {version}; this build reads version {FormatVersion} and older. Update ReplyDrafter.");
        }

        if (version < 1)
        {
            throw new FormatException($"The prompt record has an invalid format version ({version}).");
        }

        var template = Section(root, "template");
        var providerNode = Section(root, "provider");
        var requestNode = Section(root, "request");
        var format = Section(requestNode, "response_format");
        var responseNode = Section(root, "response");
        var usage = Section(responseNode, "usage");

        var messages = Required(requestNode, "messages").AsArray()
            .Select(m => new ChatMessage(new ChatRole(Text(m!, "role")), Text(m!, "content")))
            .ToList();

        var request = new LlmRequest(
            Text(root, "step"),
            new TemplateSource(Text(template, "name"), Text(template, "path"), Text(template, "sha256"), ReadStringMap(template, "variables")),
            messages,
            new LlmSettings(
                Text(requestNode, "model"),
                Optional<double>(requestNode, "temperature"),
                Optional<double>(requestNode, "top_p"),
                Optional<int>(requestNode, "max_output_tokens"),
                Optional<long>(requestNode, "seed"),
                Text(format, "name"),
                Element(Required(format, "schema"))),
            Strings(Section(root, "thread"), "message_ids"));

        var wire = requestNode["wire_body"];
        var response = new LlmResponse(
            Text(responseNode, "raw_text"),
            Element(Required(responseNode, "parsed")),
            OptionalText(responseNode, "finish_reason"),
            OptionalText(responseNode, "system_fingerprint"),
            OptionalText(responseNode, "model"),
            new LlmUsage(Optional<long>(usage, "input_tokens"), Optional<long>(usage, "output_tokens"), Optional<long>(usage, "total_tokens")),
            TimeSpan.FromMilliseconds(Optional<long>(responseNode, "latency_ms") ?? 0),
            Optional<int>(responseNode, "attempts") ?? 1,
            wire is null ? null : wire.GetValueKind() == JsonValueKind.String ? wire.GetValue<string>() : wire.ToJsonString(),
            DateTimeOffset.Parse(Text(responseNode, "completed"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

        var provider = new ProviderInfo(
            Text(providerNode, "name"),
            Text(providerNode, "endpoint_host"),
            Text(providerNode, "model"),
            OptionalText(providerNode, "api_version"),
            ReadStringMap(providerNode, "sdk_versions"));

        var hashes = root["produced_sha256"] is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : ReadStringMap(root, "produced_sha256");
        var document = root["document"] is JsonObject recorded ? recorded.DeepClone() : null;
        return new PromptRecordData(request, response, provider, Strings(root, "produced_files"), document, hashes);
    }

    /// <summary>The body as JSON when it is JSON (readable, diffable), else as the text it was.</summary>
    private static JsonNode? WireBody(string? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj;
    }

    private static Dictionary<string, string> ReadStringMap(JsonObject parent, string key) =>
        Section(parent, key).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);

    private static List<string> Strings(JsonObject parent, string key) =>
        Required(parent, key).AsArray().Select(n => n?.GetValue<string>() ?? throw new FormatException($"'{key}' holds a null")).ToList();

    private static JsonNode Required(JsonObject parent, string key) =>
        parent[key] ?? throw new FormatException($"'{key}' is missing.");

    private static JsonObject Section(JsonObject parent, string key) =>
        Required(parent, key) as JsonObject ?? throw new FormatException($"'{key}' is not an object.");

    private static string Text(JsonNode parent, string key) =>
        (parent as JsonObject ?? throw new FormatException("an entry is not an object."))[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new FormatException($"'{key}' is missing or not text.");

    private static string? OptionalText(JsonObject parent, string key) =>
        parent[key] is null ? null : Text(parent, key);

    private static T? Optional<T>(JsonObject parent, string key)
        where T : struct =>
        parent[key] is { } node ? node.GetValue<T>() : null;

    private static JsonElement Element(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}

/// <summary>A prompt record read back: the request to send again, the answer it got, and what it produced.</summary>
/// <param name="Document">What the markdown was rendered from; null in records written before replay existed.</param>
/// <param name="ProducedSha256">SHA-256 of each produced file as written, by vault-relative path (may be empty).</param>
internal sealed record PromptRecordData(
    LlmRequest Request,
    LlmResponse Response,
    ProviderInfo Provider,
    IReadOnlyList<string> ProducedFiles,
    JsonNode? Document,
    IReadOnlyDictionary<string, string> ProducedSha256);
