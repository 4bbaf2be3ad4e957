using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReplyDrafter.Notes;

/// <summary>The note step's answer as the model sends it (snake_case), before trimming and range checks.</summary>
internal sealed record NoteAnswer(
    string? Title,
    string? Kind,
    string? Project,
    string? Person,
    string? Summary,
    List<string?>? Participants,
    List<ActionItemAnswer?>? ActionItems,
    List<string?>? Decisions,
    List<string?>? KeyInformation,
    List<string?>? Related,
    ReplyAnswer? Reply);

internal sealed record ActionItemAnswer(string? Task, string? Owner, string? Due, string? Priority);

internal sealed record ReplyAnswer(bool? Needed, string? Urgency, string? Reason);

/// <summary>The draft step's answer as the model sends it.</summary>
internal sealed record DraftAnswer(List<string?>? KeyPoints, string? Body);

/// <summary>Source-generated, strict reads of the steps' answers: a value of the wrong JSON type is a <see cref="JsonException"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(NoteAnswer))]
[JsonSerializable(typeof(DraftAnswer))]
internal sealed partial class AnswerJsonContext : JsonSerializerContext;

/// <summary>Reading answers: deserialization by System.Text.Json, then the few rules a schema cannot say (trimmed, not blank).</summary>
internal static class AnswerJson
{
    /// <summary>Deserializes an answer; <see cref="FormatException"/> naming the step when it does not fit.</summary>
    public static T Read<T>(JsonElement value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string step)
        where T : class
    {
        try
        {
            return value.Deserialize(type) ?? throw new FormatException($"'{step}' is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{step}' does not fit its format: {e.Message}", e);
        }
    }

    public static string Required(string? text, string field) =>
        Optional(text) ?? throw new FormatException($"'{field}' is missing or empty.");

    /// <summary>Trimmed; null when absent or blank.</summary>
    public static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Trimmed, blank entries dropped; empty when absent.</summary>
    public static IReadOnlyList<string> Strings(IEnumerable<string?>? items) =>
        items?.Select(Optional).OfType<string>().ToList() ?? [];

    public static string OneOf(string? text, IReadOnlyList<string> allowed, string field)
    {
        var value = Required(text, field);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new FormatException($"'{field}' is '{value}'; expected one of {string.Join(", ", allowed)}.");
    }

    /// <summary>A <c>YYYY-MM-DD</c> date; null when absent or not a date (the model may write "next week").</summary>
    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(Optional(text), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
