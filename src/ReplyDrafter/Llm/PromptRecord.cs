using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace ReplyDrafter.Llm;

/// <summary>
/// The saved record of one LLM call (<c>Outbox/_prompts/*.prompt.json</c>): enough to send the same request again and
/// to tell whether the answer changed. It holds mail content; it never holds a secret.
/// </summary>
/// <remarks>
/// Only what <see cref="LlmRequest"/>, <see cref="LlmResponse"/> and <see cref="ProviderInfo"/> carry goes in, and none of
/// them carries a key or a header. <c>created</c> is when the request went out; <c>response.completed</c> is when the
/// answer came back. <c>document</c> is what the markdown was rendered from (so <c>replay --offline</c> can render it
/// again); <c>produced_sha256</c> tells whether a produced file was edited since; <c>attempts</c> lists every HTTP call
/// (version 2 on). The file is <see cref="PromptRecordDto"/> through a source-generated context. Records hold mail
/// text: they are never logged.
/// </remarks>
internal static class PromptRecord
{
    /// <summary>2 added <c>attempts</c> and <c>usage.cached_input_tokens</c>; version 1 files read as before.</summary>
    public const int FormatVersion = 2;

    public const string FormatName = "replydrafter-prompt-record";

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
        var record = new PromptRecordDto
        {
            Format = FormatName,
            Version = FormatVersion,
            Created = response.Completed - response.Latency,
            Step = request.Step,
            Template = new()
            {
                Name = request.Template.Name,
                Path = request.Template.Path,
                Sha256 = request.Template.Sha256,
                Variables = Sorted(request.Template.Variables),
            },
            Provider = new()
            {
                Name = provider.Provider,
                EndpointHost = provider.EndpointHost,
                Model = provider.Model,
                ApiVersion = provider.ApiVersion,
                SdkVersions = Sorted(provider.SdkVersions),
            },
            Request = new()
            {
                Model = settings.Model,
                Temperature = settings.Temperature,
                TopP = settings.TopP,
                MaxOutputTokens = settings.MaxOutputTokens,
                Seed = settings.Seed,
                ResponseFormat = new() { Name = settings.SchemaName, Schema = settings.OutputSchema },
                Messages = request.Messages.Select(m => new PromptRecordDto.MessageDto { Role = m.Role.Value, Content = m.Text }).ToList(),
                WireBody = WireBody(response.WireRequestBody),
            },
            Response = new()
            {
                RawText = response.RawText,
                Parsed = response.Value,
                FinishReason = response.FinishReason,
                SystemFingerprint = response.SystemFingerprint,
                Model = response.ResponseModel,
                Usage = new()
                {
                    InputTokens = response.Usage.InputTokens,
                    OutputTokens = response.Usage.OutputTokens,
                    TotalTokens = response.Usage.TotalTokens,
                    CachedInputTokens = response.Usage.CachedInputTokens,
                },
                LatencyMs = (long)Math.Round(response.Latency.TotalMilliseconds),
                Attempts = response.Attempts,
                Completed = response.Completed,
            },
            Attempts = response.AttemptLog?.Select(a => new PromptRecordDto.AttemptDto
            {
                Number = a.Number,
                Started = a.Started,
                Outcome = a.Outcome,
                RawText = a.RawText,
                Problems = a.Problems.Count == 0 ? null : [.. a.Problems],
            }).ToList(),
            Thread = new() { MessageIds = [.. request.MessageIds] },
            ProducedFiles = [.. producedFiles],
            ProducedSha256 = producedSha256 is null ? null : Sorted(producedSha256),
            Document = document?.DeepClone(),
            Replay = replay?.DeepClone().AsObject(),
        };

        return JsonSerializer.Serialize(record, PromptRecordJsonContext.Relaxed.PromptRecordDto) + "\n";
    }

    /// <summary>A note or draft document as the record's <c>document</c> (snake_case).</summary>
    /// <param name="typeInfo">Source-generated metadata for <typeparamref name="T"/> when the caller has it; reflection otherwise.</param>
    public static JsonNode DocumentToJson<T>(T document, JsonTypeInfo<T>? typeInfo = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(document);
        return (typeInfo is null ? JsonSerializer.SerializeToNode(document, DocumentOptions) : JsonSerializer.SerializeToNode(document, typeInfo))!;
    }

    /// <summary>Reads a recorded <c>document</c> back; <see cref="FormatException"/> when it does not fit <typeparamref name="T"/>.</summary>
    public static T DocumentFromJson<T>(JsonNode document, JsonTypeInfo<T>? typeInfo = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            return (typeInfo is null ? document.Deserialize<T>(DocumentOptions) : document.Deserialize(typeInfo))
                ?? throw new FormatException("'document' is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"The prompt record is damaged: its 'document' does not read ({e.Message}).", e);
        }
    }

    /// <summary>Reads a record back into the request it describes (for replay). Throws <see cref="FormatException"/> for a foreign or corrupt file.</summary>
    public static PromptRecordData Parse(string json)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"This is not a prompt record: it is not valid JSON ({e.Message}).", e);
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) ||
                format.ValueKind != JsonValueKind.String || format.GetString() != FormatName)
            {
                throw new FormatException($"This is not a prompt record: 'format' is not '{FormatName}'.");
            }

            if (root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int version))
            {
                if (version > FormatVersion)
                {
                    throw new FormatException(
                        $"The prompt record has format version {version}; this build reads version {FormatVersion} and older. Update ReplyDrafter.");
                }

                if (version < 1)
                {
                    throw new FormatException($"The prompt record has an invalid format version ({version}).");
                }
            }

            try
            {
                var record = root.Deserialize(PromptRecordJsonContext.Relaxed.PromptRecordDto)
                    ?? throw new FormatException("the record is null.");
                return Read(record);
            }
            catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException or OverflowException)
            {
                throw new FormatException($"The prompt record is damaged: {e.Message}", e);
            }
        }
    }

    private static PromptRecordData Read(PromptRecordDto record)
    {
        var request = new LlmRequest(
            record.Step,
            new TemplateSource(record.Template.Name, record.Template.Path, record.Template.Sha256, record.Template.Variables),
            record.Request.Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList(),
            new LlmSettings(
                record.Request.Model,
                record.Request.Temperature,
                record.Request.TopP,
                record.Request.MaxOutputTokens,
                record.Request.Seed,
                record.Request.ResponseFormat.Name,
                record.Request.ResponseFormat.Schema),
            record.Thread.MessageIds);

        var wire = record.Request.WireBody;
        var r = record.Response;
        var response = new LlmResponse(
            r.RawText,
            r.Parsed,
            r.FinishReason,
            r.SystemFingerprint,
            r.Model,
            new LlmUsage(r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.TotalTokens, r.Usage.CachedInputTokens),
            TimeSpan.FromMilliseconds(r.LatencyMs ?? 0),
            r.Attempts ?? 1,
            wire is null ? null : wire.GetValueKind() == JsonValueKind.String ? wire.GetValue<string>() : wire.ToJsonString(),
            r.Completed,
            record.Attempts?.Select(a => new LlmAttempt(a.Number, a.Started, a.Outcome, a.RawText, a.Problems ?? [])).ToList());

        var provider = new ProviderInfo(
            record.Provider.Name,
            record.Provider.EndpointHost,
            record.Provider.Model,
            record.Provider.ApiVersion,
            record.Provider.SdkVersions);

        return new PromptRecordData(
            request,
            response,
            provider,
            record.ProducedFiles,
            record.Document as JsonObject,
            record.ProducedSha256 ?? new Dictionary<string, string>(StringComparer.Ordinal));
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

    // Sorted so two records of the same call diff cleanly.
    private static Dictionary<string, string> Sorted(IReadOnlyDictionary<string, string> map) =>
        map.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
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
