using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace ReplyDrafter.Vault;

/// <summary>
/// YAML frontmatter that round-trips any string exactly. Scalars are quoted by <see cref="YamlScalar"/> rather
/// than YamlDotNet's emitter, which writes every emoji as <c>\U0001F4C5</c> and leaves NEL/LS/BOM unescaped; every
/// block written is parsed back with YamlDotNet and compared before it is returned.
/// </summary>
internal static partial class Frontmatter
{
    private const string Fence = "---";
    private const int MaxBlockChars = 256 * 1024;

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>"---\n" + YAML of the ordered pairs + "---\n". Values: string, bool, number, null, or a list of strings.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);

        // A UTF-8 file cannot hold an unpaired surrogate; decide here what is written, so the check below is exact.
        var pairs = fields.Select(pair => new KeyValuePair<string, object?>(pair.Key, pair.Value switch
        {
            string text => TextFolding.ReplaceLoneSurrogates(text),
            IEnumerable<string?> items => items.Select(item => item is null ? null : TextFolding.ReplaceLoneSurrogates(item)).ToList(),
            var other => other,
        })).ToList();
        var builder = new StringBuilder(Fence).Append('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!ValidKey().IsMatch(key))
            {
                throw new ArgumentException($"'{key}' is not a valid frontmatter key.", nameof(fields));
            }

            if (!seen.Add(key))
            {
                throw new ArgumentException($"Frontmatter key '{key}' appears twice.", nameof(fields));
            }

            builder.Append(key).Append(':');
            AppendValue(builder, key, value);
        }

        builder.Append(Fence).Append('\n');
        var text = builder.ToString();
        VerifyRoundTrip(pairs, text);
        return text;
    }

    /// <summary>
    /// <see cref="Write"/> for values that came from mail or the model: every string and list item is made inert first
    /// (<see cref="FrontmatterText.Inert"/>), so no plugin runs, renders or embeds what a sender or the model wrote.
    /// </summary>
    public static string WriteInert(IEnumerable<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Write(fields.Select(pair => new KeyValuePair<string, object?>(pair.Key, pair.Value switch
        {
            string text => FrontmatterText.Inert(text),
            IEnumerable<string?> items => items.Select(item => item is null ? null : FrontmatterText.Inert(item)).ToList(),
            var other => other,
        })));
    }

    /// <summary>Parses a markdown file's frontmatter; empty when there is none or it is malformed.</summary>
    /// <remarks>Scalars come back as strings (<c>null</c> for YAML null), sequences as <see cref="List{T}"/> of object?, mappings as dictionaries.</remarks>
    public static IReadOnlyDictionary<string, object?> Read(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        using var reader = new StringReader(markdown);
        var block = ReadBlock(reader);
        return block is null ? Empty : Parse(block);
    }

    /// <summary>The markdown after the frontmatter (the whole text when there is none).</summary>
    public static string Body(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        using var reader = new StringReader(markdown);
        if (ReadBlock(reader) is null)
        {
            return markdown;
        }

        return reader.ReadToEnd();
    }

    /// <summary>
    /// Reads the YAML between the opening and closing fences, consuming only those lines, so a caller that only needs
    /// the frontmatter of a large file stops there. Null when the text does not start with a complete frontmatter.
    /// </summary>
    public static string? ReadBlock(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);

        var first = reader.ReadLine();
        if (first is null || first.TrimStart('\uFEFF').TrimEnd() != Fence)
        {
            return null;
        }

        var yaml = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.TrimEnd();
            if (trimmed is Fence or "...")
            {
                return yaml.ToString();
            }

            if (yaml.Length + line.Length > MaxBlockChars)
            {
                return null;
            }

            yaml.Append(line).Append('\n');
        }

        return null;
    }

    /// <summary>Parses YAML text (a frontmatter block without its fences); empty when malformed or not a mapping.</summary>
    public static IReadOnlyDictionary<string, object?> Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            return YamlTree.ReadMapping(yaml, static scalar => YamlTree.IsNull(scalar) ? null : scalar.Value, strict: false) ?? Empty;
        }
        catch (YamlException)
        {
            return Empty;
        }
    }

    /// <summary>The value as a string when it is a scalar; null otherwise.</summary>
    public static string? GetString(this IReadOnlyDictionary<string, object?> fields, string key)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.TryGetValue(key, out var value) ? value as string : null;
    }

    /// <summary>The scalar items of a list, or a single scalar as a one-item list; empty otherwise.</summary>
    public static IReadOnlyList<string> GetStrings(this IReadOnlyDictionary<string, object?> fields, string key)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.TryGetValue(key, out var value) switch
        {
            false => [],
            true when value is string single => [single],
            true when value is List<object?> list => list.OfType<string>().ToList(),
            _ => [],
        };
    }

    public static bool? GetBool(this IReadOnlyDictionary<string, object?> fields, string key) =>
        fields.GetString(key)?.Trim() switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => null,
        };

    public static double? GetDouble(this IReadOnlyDictionary<string, object?> fields, string key) =>
        double.TryParse(fields.GetString(key), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static void AppendValue(StringBuilder builder, string key, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append(" null\n");
                break;
            case string text:
                builder.Append(' ').Append(YamlScalar.Format(text)).Append('\n');
                break;
            case bool flag:
                builder.Append(flag ? " true\n" : " false\n");
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte or decimal:
                builder.Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
                break;
            case double or float:
                builder.Append(' ').Append(YamlScalar.FormatNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture))).Append('\n');
                break;
            case DateOnly date:
                builder.Append(' ').Append(YamlScalar.Format(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append('\n');
                break;
            case IEnumerable<string?> items:
                AppendList(builder, items);
                break;
            default:
                throw new ArgumentException($"Frontmatter key '{key}' has a value of unsupported type {value.GetType().Name}.");
        }
    }

    private static void AppendList(StringBuilder builder, IEnumerable<string?> items)
    {
        var any = false;
        foreach (var item in items)
        {
            if (!any)
            {
                builder.Append('\n');
                any = true;
            }

            builder.Append("- ").Append(item is null ? "null" : YamlScalar.Format(item)).Append('\n');
        }

        if (!any)
        {
            builder.Append(" []\n");
        }
    }

    private static void VerifyRoundTrip(List<KeyValuePair<string, object?>> pairs, string text)
    {
        var read = Read(text);
        foreach (var (key, value) in pairs)
        {
            var ok = value switch
            {
                string expected => read.GetString(key) == expected,
                IEnumerable<string?> expected when value is not string => read.TryGetValue(key, out var actual)
                    && actual is List<object?> list
                    && list.SequenceEqual(expected.Cast<object?>()),
                _ => read.ContainsKey(key),
            };

            if (!ok)
            {
                // A bug in YamlScalar, never a property of the data: fail loudly rather than write a file that lies.
                throw new InvalidOperationException($"Frontmatter value for '{key}' would not read back exactly.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidKey();
}
