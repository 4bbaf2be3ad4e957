using System.Text.Json;

namespace ReplyDrafter.Tests.TestServer;

/// <summary>One request the fake server received, as it came over the wire.</summary>
/// <param name="Deployment">The Azure route's deployment name; null on the OpenAI route.</param>
/// <param name="ApiVersion">The Azure route's <c>api-version</c> query value.</param>
public sealed record FakeLlmRequest(
    string Method,
    string Path,
    string? Deployment,
    string? ApiVersion,
    string Body,
    IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body as JSON (undefined when the body is empty or not JSON), parsed once when received.</summary>
    public JsonElement Json { get; } = Parse(Body);

    public bool IsChat => Path.EndsWith("/chat/completions", StringComparison.Ordinal);

    public string? Model => Property(Json, "model")?.GetString();

    /// <summary><c>response_format.json_schema.name</c>: which step is asking ("thread-note", "draft-reply").</summary>
    public string? SchemaName => Property(Property(Property(Json, "response_format"), "json_schema"), "name")?.GetString();

    public JsonElement? Schema => Property(Property(Property(Json, "response_format"), "json_schema"), "schema");

    private static JsonElement Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;
}
