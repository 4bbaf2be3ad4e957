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
    JsonElement OutputSchema);

/// <summary>A request ready to send: exactly what goes to the model, so it can be recorded and sent again.</summary>
public sealed record LlmRequest(
    string Step,
    TemplateSource Template,
    IReadOnlyList<ChatMessage> Messages,
    LlmSettings Settings,
    IReadOnlyList<string> MessageIds);

/// <summary>Token counts reported by the provider.</summary>
public sealed record LlmUsage(long? InputTokens, long? OutputTokens, long? TotalTokens);

/// <summary>A validated answer: <see cref="Value"/> fits the step's JSON schema.</summary>
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
    DateTimeOffset Completed);

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
