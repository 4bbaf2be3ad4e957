using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ReplyDrafter.Vault;

/// <summary>
/// The one YAML reader: a mapping as dictionaries (mappings), <see cref="List{T}"/> (sequences) and whatever
/// <c>scalar</c> makes of each scalar. Vault frontmatter reads scalars as text; prompt templates type them as JSON.
/// </summary>
internal static class YamlTree
{
    /// <summary>YAML's null words; only a plain (unquoted) scalar can be null, so a quoted <c>"null"</c> stays text.</summary>
    public static bool IsNull(Scalar scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.IsPlainImplicit && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The document's top mapping; null when the document is empty or not a mapping.</summary>
    /// <param name="strict">
    /// True (templates, which people write once and must get right): a repeated key, a complex key or an alias is a
    /// <see cref="FormatException"/> naming the line. False (notes a person edits): the last repeated key wins, the others are skipped.
    /// </param>
    /// <exception cref="YamlException">when the text is not YAML.</exception>
    public static Dictionary<string, object?>? ReadMapping(string yaml, Func<Scalar, object?> scalar, bool strict)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _) || !parser.TryConsume<MappingStart>(out _))
        {
            return null;
        }

        return Mapping(parser, scalar, strict);
    }

    private static Dictionary<string, object?> Mapping(IParser parser, Func<Scalar, object?> scalar, bool strict)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (parser.TryConsume<Scalar>(out var key))
            {
                if (strict && result.ContainsKey(key.Value))
                {
                    throw new FormatException($"line {key.Start.Line}: the key '{key.Value}' appears twice");
                }

                result[key.Value] = Node(parser, scalar, strict);
            }
            else if (strict)
            {
                throw new FormatException($"line {parser.Current?.Start.Line}: a mapping key must be a plain value");
            }
            else
            {
                parser.SkipThisAndNestedEvents(); // complex key
                parser.SkipThisAndNestedEvents(); // its value
            }
        }

        return result;
    }

    private static object? Node(IParser parser, Func<Scalar, object?> scalar, bool strict)
    {
        if (parser.TryConsume<Scalar>(out var value))
        {
            return scalar(value);
        }

        if (parser.TryConsume<SequenceStart>(out _))
        {
            var list = new List<object?>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Add(Node(parser, scalar, strict));
            }

            return list;
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            return Mapping(parser, scalar, strict);
        }

        if (strict)
        {
            throw new FormatException($"line {parser.Current?.Start.Line}: aliases and other YAML features are not supported here");
        }

        // Aliases and anything else: frontmatter written by people rarely uses them; treat as absent.
        parser.SkipThisAndNestedEvents();
        return null;
    }
}
