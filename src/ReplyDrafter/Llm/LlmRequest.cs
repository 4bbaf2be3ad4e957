using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ReplyDrafter.Llm;

/// <summary>Where a request's text came from: the template file and the values put into it.</summary>
/// <param name="Path">Vault- or repo-relative path of the .prompty file (never absolute when avoidable).</param>
public sealed record TemplateSource(string Name, string Path, string Sha256, IReadOnlyDictionary<string, string> Variables);

/// <summary>Every request parameter sent to the model.</summary>
public sealed record LlmSettings(
    string Model,
    double? Temperature,
    double? TopP,
    int? MaxOutputTokens,
    long? Seed,
    string SchemaName,
    JsonElement OutputSchema)
{
    // M.E.AI keeps the schema it derives for the provider per ChatResponseFormat instance: one instance per schema
    // keeps that cache warm (a new one per call transformed the schema again for every request).
    private static readonly ConcurrentDictionary<(string Name, string Schema), ChatResponseFormat> s_formats = new();

    /// <summary>The same parameters as M.E.AI chat options: structured output in strict mode.</summary>
    public ChatOptions ToChatOptions() => new()
    {
        ModelId = Model,
        Temperature = (float?)Temperature,
        TopP = (float?)TopP,
        MaxOutputTokens = MaxOutputTokens,
        Seed = Seed,
        ResponseFormat = ResponseFormat(SchemaName, OutputSchema),
        AdditionalProperties = new() { ["strict"] = true },
    };

    private static ChatResponseFormat ResponseFormat(string name, JsonElement schema)
    {
        if (s_formats.Count > 64)
        {
            // Only templates edited many times over in one run get here; the next call builds its format again.
            s_formats.Clear();
        }

        return s_formats.GetOrAdd((name, schema.GetRawText()), static key =>
            ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(key.Schema).RootElement, key.Name));
    }
}

/// <summary>A request ready to send: exactly what goes to the model, so it can be recorded and sent again.</summary>
public sealed record LlmRequest(
    string Step,
    TemplateSource Template,
    IReadOnlyList<ChatMessage> Messages,
    LlmSettings Settings,
    IReadOnlyList<string> MessageIds);

/// <summary>Token counts reported by the provider.</summary>
/// <param name="CachedInputTokens">The part of <paramref name="InputTokens"/> served from the provider's prompt cache (<c>usage.prompt_tokens_details.cached_tokens</c>), when reported.</param>
public sealed record LlmUsage(long? InputTokens, long? OutputTokens, long? TotalTokens, long? CachedInputTokens = null);

/// <summary>One HTTP call made for a request: what came back and, for a wrong answer, what was wrong with it.</summary>
/// <param name="Outcome"><c>answer</c>, <c>invalid</c> (re-asked with <paramref name="Problems"/>) or <c>fault</c> (transport, retried with back-off).</param>
/// <param name="RawText">The answer's text for <c>answer</c> and <c>invalid</c>; null for a fault.</param>
public sealed record LlmAttempt(int Number, DateTimeOffset Started, string Outcome, string? RawText, IReadOnlyList<string> Problems)
{
    public const string Answer = "answer";
    public const string Invalid = "invalid";
    public const string Fault = "fault";
}

/// <summary>A validated answer: <see cref="Value"/> fits the step's JSON schema.</summary>
/// <param name="Attempts">HTTP calls made, retries and re-asks included.</param>
/// <param name="AttemptLog">Every call in order; null for records written before attempts were kept.</param>
public sealed record LlmResponse(
    string RawText,
    JsonElement Value,
    string? FinishReason,
    string? SystemFingerprint,
    string? ResponseModel,
    LlmUsage Usage,
    TimeSpan Latency,
    int Attempts,
    string? WireRequestBody,
    DateTimeOffset Completed,
    IReadOnlyList<LlmAttempt>? AttemptLog = null);

public enum LlmFailureKind
{
    /// <summary>The endpoint cannot be reached or keeps failing: the item waits in the inbox.</summary>
    Unavailable,

    /// <summary>Auth, quota or missing deployment: retrying cannot help; the whole pipeline pauses.</summary>
    Paused,

    /// <summary>The input is too long for the model: shrink and try once more.</summary>
    ContextLength,

    /// <summary>The model refused (content filter) or kept answering outside the schema: the item fails.</summary>
    Rejected,
}

/// <summary>An LLM step that did not produce a valid answer. The message is for users and never holds mail text or secrets.</summary>
public sealed class LlmException : Exception
{
    public LlmException(LlmFailureKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public LlmException() : this(LlmFailureKind.Unavailable, "The LLM call failed.") { }

    public LlmException(string message) : this(LlmFailureKind.Unavailable, message) { }

    public LlmException(string message, Exception inner) : this(LlmFailureKind.Unavailable, message, inner) { }

    public LlmFailureKind Kind { get; }
}
