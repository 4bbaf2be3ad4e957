using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ReplyDrafter.Llm;

/// <summary>
/// Turns YAML into JSON nodes following the YAML core schema: only plain scalars become numbers, booleans or null,
/// so a quoted <c>"null"</c> stays a string (which a JSON schema's <c>type: [string, "null"]</c> needs).
/// </summary>
internal static class YamlJson
{
    public static JsonObject ParseMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0)
        {
            return [];
        }

        return ToNode(stream.Documents[0].RootNode) as JsonObject
            ?? throw new FormatException("the frontmatter is not a YAML mapping");
    }

    private static JsonNode? ToNode(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    string name = (key as YamlScalarNode)?.Value
                        ?? throw new FormatException($"line {key.Start.Line}: a mapping key must be a plain value");
                    if (obj.ContainsKey(name))
                    {
                        throw new FormatException($"line {key.Start.Line}: the key '{name}' appears twice");
                    }

                    obj[name] = ToNode(value);
                }

                return obj;

            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(ToNode(item));
                }

                return array;

            case YamlScalarNode scalar:
                return ToScalar(scalar);

            default:
                throw new FormatException($"line {node.Start.Line}: aliases and other YAML features are not supported here");
        }
    }

    private static JsonValue? ToScalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
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
