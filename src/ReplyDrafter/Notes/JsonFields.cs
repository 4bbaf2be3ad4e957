using System.Globalization;
using System.Text.Json;

namespace ReplyDrafter.Notes;

/// <summary>Strict reads of a model's JSON object; every failure is a <see cref="FormatException"/> naming the field.</summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _value;
    private readonly string _path;

    public JsonFields(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"'{path}' must be a JSON object, not {value.ValueKind}.");
        }

        _value = value;
        _path = path;
    }

    public string RequiredString(string name) =>
        OptionalString(name) is { Length: > 0 } text ? text : throw new FormatException($"'{_path}.{name}' is missing or empty.");

    /// <summary>Trimmed; null when absent, null or blank.</summary>
    public string? OptionalString(string name)
    {
        if (!_value.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"'{_path}.{name}' must be a string, not {property.ValueKind}.");
        }

        var text = property.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }

    public string Enum(string name, IReadOnlyList<string> allowed)
    {
        var text = RequiredString(name);
        return allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new FormatException($"'{_path}.{name}' is '{text}'; expected one of {string.Join(", ", allowed)}.");
    }

    public bool Bool(string name) =>
        _value.TryGetProperty(name, out var property) && property.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? property.GetBoolean()
            : throw new FormatException($"'{_path}.{name}' must be true or false.");

    /// <summary>A <c>YYYY-MM-DD</c> date; null when absent or not a date (the model may write "next week").</summary>
    public DateOnly? Date(string name) =>
        DateOnly.TryParseExact(OptionalString(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    public JsonFields Object(string name) =>
        _value.TryGetProperty(name, out var property)
            ? new JsonFields(property, $"{_path}.{name}")
            : throw new FormatException($"'{_path}.{name}' is missing.");

    /// <summary>Trimmed, blank entries dropped; empty when absent or null.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        var result = new List<string>();
        var index = 0;
        foreach (var item in Array(name))
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"'{_path}.{name}[{index}]' must be a string, not {item.ValueKind}.");
            }

            var text = item.GetString()!.Trim();
            if (text.Length > 0)
            {
                result.Add(text);
            }

            index++;
        }

        return result;
    }

    public IReadOnlyList<JsonFields> Objects(string name)
    {
        var path = $"{_path}.{name}";
        return Array(name).Select((item, index) => new JsonFields(item, $"{path}[{index}]")).ToList();
    }

    private List<JsonElement> Array(string name)
    {
        if (!_value.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return property.ValueKind == JsonValueKind.Array
            ? property.EnumerateArray().ToList()
            : throw new FormatException($"'{_path}.{name}' must be an array, not {property.ValueKind}.");
    }
}
