using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Llm;

/// <summary>
/// Turns YAML into JSON nodes following the YAML core schema: only plain scalars become numbers, booleans or null,
/// so a quoted <c>"null"</c> stays a string (which a JSON schema's <c>type: [string, "null"]</c> needs).
/// </summary>
internal static class YamlJson
{
    public static JsonObject ParseMapping(string yaml)
    {
        var mapping = YamlTree.ReadMapping(yaml, ToScalar, strict: true);
        if (mapping is null)
        {
            return string.IsNullOrWhiteSpace(yaml) ? [] : throw new FormatException("the frontmatter is not a YAML mapping");
        }

        return (JsonObject)ToNode(mapping)!;
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        Dictionary<string, object?> mapping => new JsonObject(mapping.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        List<object?> sequence => new JsonArray(sequence.Select(ToNode).ToArray()),
        _ => (JsonNode?)value,
    };

    private static JsonValue? ToScalar(Scalar scalar)
    {
        string text = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (YamlTree.IsNull(scalar))
        {
            return null;
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) &&
            !double.IsInfinity(number) && !double.IsNaN(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
