using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ReplyDrafter.Llm;

/// <summary>The prompt record file as it is stored; <see cref="PromptRecord"/> maps it to and from the request and response.</summary>
/// <remarks>Version 1 lacks <see cref="Attempts"/> and <c>usage.cached_input_tokens</c>; everything else is the same shape.</remarks>
internal sealed class PromptRecordDto
{
    public required string Format { get; init; }

    public required int Version { get; init; }

    /// <summary>When the request went out (the answer's time minus the latency, retries included).</summary>
    public required DateTimeOffset Created { get; init; }

    public required string Step { get; init; }

    public required TemplateDto Template { get; init; }

    public required ProviderDto Provider { get; init; }

    public required RequestDto Request { get; init; }

    public required ResponseDto Response { get; init; }

    /// <summary>Every HTTP call made, in order: faults, wrong answers (with what was wrong) and the answer kept.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<AttemptDto>? Attempts { get; init; }

    public required ThreadDto Thread { get; init; }

    public required List<string> ProducedFiles { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? ProducedSha256 { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Document { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? Replay { get; init; }

    /// <summary>For a draft: what became of it once the user replied (or did not); absent until then and in older records.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutcomeDto? Outcome { get; set; }

    internal sealed class TemplateDto
    {
        public required string Name { get; init; }

        public required string Path { get; init; }

        public required string Sha256 { get; init; }

        public required Dictionary<string, string> Variables { get; init; }
    }

    internal sealed class ProviderDto
    {
        public required string Name { get; init; }

        public required string EndpointHost { get; init; }

        public required string Model { get; init; }

        public string? ApiVersion { get; init; }

        public required Dictionary<string, string> SdkVersions { get; init; }
    }

    internal sealed class RequestDto
    {
        public required string Model { get; init; }

        public double? Temperature { get; init; }

        public double? TopP { get; init; }

        public int? MaxOutputTokens { get; init; }

        public long? Seed { get; init; }

        public required ResponseFormatDto ResponseFormat { get; init; }

        public required List<MessageDto> Messages { get; init; }

        /// <summary>The body as JSON when it is JSON (readable, diffable), else as the text it was.</summary>
        public JsonNode? WireBody { get; init; }
    }

    internal sealed class ResponseFormatDto
    {
        public string Type { get; init; } = "json_schema";

        public required string Name { get; init; }

        public bool Strict { get; init; } = true;

        public required JsonElement Schema { get; init; }
    }

    internal sealed class MessageDto
    {
        public required string Role { get; init; }

        public required string Content { get; init; }
    }

    internal sealed class ResponseDto
    {
        public required string RawText { get; init; }

        public required JsonElement Parsed { get; init; }

        public string? FinishReason { get; init; }

        public string? SystemFingerprint { get; init; }

        public string? Model { get; init; }

        public required UsageDto Usage { get; init; }

        public long? LatencyMs { get; init; }

        public int? Attempts { get; init; }

        public required DateTimeOffset Completed { get; init; }
    }

    internal sealed class UsageDto
    {
        public long? InputTokens { get; init; }

        public long? OutputTokens { get; init; }

        public long? TotalTokens { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public long? CachedInputTokens { get; init; }
    }

    internal sealed class AttemptDto
    {
        public required int Number { get; init; }

        public required DateTimeOffset Started { get; init; }

        public required string Outcome { get; init; }

        public string? RawText { get; init; }

        public List<string>? Problems { get; init; }
    }

    internal sealed class OutcomeDto
    {
        /// <summary>sent, edited, rewritten or ignored.</summary>
        public required string Status { get; init; }

        public double? Similarity { get; init; }

        public DateTimeOffset? SentAt { get; init; }

        public string? SentMessageId { get; init; }
    }

    internal sealed class ThreadDto
    {
        public required List<string> MessageIds { get; init; }
    }
}

/// <summary>Source-generated (de)serialisation of <see cref="PromptRecordDto"/>: snake_case, indented, nulls written, missing required members are damage.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    AllowTrailingCommas = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PromptRecordDto))]
internal sealed partial class PromptRecordJsonContext : JsonSerializerContext
{
    /// <summary>The context with the relaxed encoder, so mail text stays readable (é, 日本語, quotes) in the file.</summary>
    public static PromptRecordJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        AllowTrailingCommas = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
