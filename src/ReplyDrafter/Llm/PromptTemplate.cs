using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace ReplyDrafter.Llm;

/// <summary>A parsed <c>prompts/&lt;step&gt;.prompty</c> file (Prompty convention: YAML frontmatter, role sections).</summary>
/// <remarks>
/// The temperature sent is always <see cref="LlmOptions.Temperature"/> (<c>ReplyDrafter:Llm:Temperature</c>, SPEC §7), so
/// one setting governs every step and the draft's <c>ai_temperature</c> says what was used. A template's own
/// <c>temperature</c> is read (and shown as <see cref="Temperature"/>) but not sent. <c>top_p</c>, <c>max_tokens</c> and
/// <c>seed</c> come from the template.
/// </remarks>
internal sealed partial class PromptTemplate
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Absolute path of the file.</summary>
    public required string FilePath { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the file's text.</summary>
    public required string Sha256 { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxOutputTokens { get; init; }

    public long? Seed { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required JsonElement OutputSchema { get; init; }

    /// <summary>Inputs marked <c>untrusted: true</c>: their values are put in as delimited data.</summary>
    public required IReadOnlySet<string> UntrustedInputs { get; init; }

    /// <summary>The role sections of the body, in order, with placeholders still in them.</summary>
    public required IReadOnlyList<(ChatRole Role, string Text)> Sections { get; init; }

    internal const string UntrustedTag = "untrusted";

    /// <summary>Loads and checks a template; a malformed file gives a message naming the file and what is wrong.</summary>
    public static PromptTemplate Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PromptTemplateException($"Prompt template '{path}' cannot be read: {e.Message}", e);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes).TrimStart('\uFEFF').ReplaceLineEndings("\n");
        }
        catch (DecoderFallbackException e)
        {
            throw new PromptTemplateException($"Prompt template '{path}' is not valid UTF-8.", e);
        }

        try
        {
            return Parse(text, Path.GetFullPath(path), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        catch (FormatException e)
        {
            throw new PromptTemplateException($"Prompt template '{path}': {e.Message}", e);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new PromptTemplateException($"Prompt template '{path}': the frontmatter is not valid YAML ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Builds the request. Variables are substituted after the role sections are split, so their text can never open a
    /// role section; untrusted values are delimited as data. <paramref name="displayPath"/> is what the record shows.
    /// </summary>
    public LlmRequest Prepare(
        string step,
        string displayPath,
        IReadOnlyDictionary<string, string> variables,
        LlmOptions options,
        IReadOnlyList<string> messageIds)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(options);

        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in Inputs)
        {
            if (!variables.TryGetValue(input, out string? value) || value is null)
            {
                throw new PromptTemplateException(
                    $"Prompt template '{displayPath}' needs the input '{input}', which was not supplied.");
            }

            used[input] = value;
        }

        // One pass over the template text: a value is never scanned again, so "{{x}}" inside it stays literal.
        var messages = Sections
            .Select(s => new ChatMessage(s.Role, PlaceholderRegex().Replace(s.Text, m => Render(m.Groups[1].Value, used[m.Groups[1].Value]))))
            .ToList();

        return new LlmRequest(
            step,
            new TemplateSource(Name, displayPath, Sha256, used),
            messages,
            new LlmSettings(options.Deployment, options.Temperature, TopP, MaxOutputTokens, Seed, Name, OutputSchema),
            messageIds);
    }

    private string Render(string name, string value) =>
        UntrustedInputs.Contains(name)
            ? $"<{UntrustedTag} name=\"{name}\">{Neutralize(value)}</{UntrustedTag}>"
            : value;

    /// <summary>Makes sure a value cannot close (or fake) its own delimiter.</summary>
    internal static string Neutralize(string value) =>
        DelimiterRegex().Replace(value, m => "&lt;" + m.Value[1..]);

    private static PromptTemplate Parse(string text, string fullPath, string sha256)
    {
        if (!text.EndsWith('\n'))
        {
            text += "\n";
        }

        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new FormatException("the file must start with a '---' line opening the YAML frontmatter");
        }

        int end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new FormatException("the YAML frontmatter is not closed by a '---' line");
        }

        JsonObject front = YamlJson.ParseMapping(text[4..(end + 1)]);
        string body = text[(end + 5)..];

        string name = RequiredString(front, "name");
        if (!SchemaNameRegex().IsMatch(name))
        {
            throw new FormatException($"name must be 1-64 letters, digits, '-' or '_' (it names the output schema; got '{name}')");
        }

        var parameters = (front["model"] as JsonObject)?["parameters"] as JsonObject;
        var (inputs, untrusted) = ReadInputs(front);
        var schema = ReadSchema(front);
        var sections = SplitRoles(body);

        foreach (var (_, sectionText) in sections)
        {
            CheckPlaceholders(sectionText, inputs);
        }

        return new PromptTemplate
        {
            Name = name,
            Description = (front["description"] as JsonValue)?.ToString() ?? "",
            FilePath = fullPath,
            Sha256 = sha256,
            Temperature = Number(parameters, "temperature", 0, 2),
            TopP = Number(parameters, "top_p", 0, 1),
            MaxOutputTokens = (int?)Integer(parameters, "max_tokens", 1, int.MaxValue),
            Seed = Integer(parameters, "seed", long.MinValue, long.MaxValue),
            Inputs = inputs,
            UntrustedInputs = untrusted,
            OutputSchema = schema,
            Sections = sections,
        };
    }

    private static (List<string> Inputs, HashSet<string> Untrusted) ReadInputs(JsonObject front)
    {
        if (front["inputs"] is not JsonObject inputsNode)
        {
            throw new FormatException("'inputs' must be a mapping of input names");
        }

        var inputs = new List<string>();
        var untrusted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (inputName, spec) in inputsNode)
        {
            if (!PlaceholderNameRegex().IsMatch(inputName))
            {
                throw new FormatException($"input name '{inputName}' must be letters, digits and '_'");
            }

            inputs.Add(inputName);
            if (spec is JsonObject specObject && specObject["untrusted"] is JsonNode flag)
            {
                if (flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new FormatException($"inputs.{inputName}.untrusted must be true or false");
                }

                if (flag.GetValue<bool>())
                {
                    untrusted.Add(inputName);
                }
            }
        }

        return (inputs, untrusted);
    }

    private static JsonElement ReadSchema(JsonObject front)
    {
        if (front["schema"] is not JsonObject schemaNode)
        {
            throw new FormatException("'schema' must hold the JSON schema of the expected output, written in YAML");
        }

        string schemaJson = schemaNode.ToJsonString();
        try
        {
            _ = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new FormatException($"'schema' is not a valid JSON schema ({e.Message})", e);
        }

        CheckStrict(schemaNode, "schema");
        using var document = JsonDocument.Parse(schemaJson);
        return document.RootElement.Clone();
    }

    /// <summary>OpenAI strict structured output: every object closed and every property required (nullable via type).</summary>
    private static void CheckStrict(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties)
                {
                    if (obj["additionalProperties"] is not JsonValue closed || closed.GetValueKind() != JsonValueKind.False)
                    {
                        throw new FormatException($"{where} must say 'additionalProperties: false' (strict structured output)");
                    }

                    var required = (obj["required"] as JsonArray)?.Select(r => r?.ToString()).ToHashSet(StringComparer.Ordinal) ?? [];
                    var missing = properties.Select(p => p.Key).Where(k => !required.Contains(k)).ToList();
                    if (missing.Count > 0)
                    {
                        throw new FormatException(
                            $"{where} must list every property in 'required' (strict structured output; missing: {string.Join(", ", missing)}); use type [..., \"null\"] for optional values");
                    }
                }

                foreach (var (key, child) in obj)
                {
                    CheckStrict(child, $"{where}.{key}");
                }

                break;

            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    CheckStrict(array[i], $"{where}[{i}]");
                }

                break;
        }
    }

    private static List<(ChatRole Role, string Text)> SplitRoles(string body)
    {
        var sections = new List<(ChatRole Role, string Text)>();
        ChatRole? role = null;
        var current = new StringBuilder();
        foreach (string line in body.Split('\n'))
        {
            var marker = RoleRegex().Match(line);
            if (marker.Success)
            {
                Flush();
                role = marker.Groups[1].Value.ToUpperInvariant() switch
                {
                    "SYSTEM" => ChatRole.System,
                    "ASSISTANT" => ChatRole.Assistant,
                    _ => ChatRole.User,
                };
                continue;
            }

            if (role is null && !string.IsNullOrWhiteSpace(line))
            {
                throw new FormatException("the body has text before its first role line ('system:' or 'user:')");
            }

            current.Append(line).Append('\n');
        }

        Flush();
        if (!sections.Any(s => s.Role == ChatRole.User))
        {
            throw new FormatException("the body has no 'user:' section");
        }

        return sections;

        void Flush()
        {
            if (role is { } r)
            {
                string sectionText = current.ToString().Trim('\n');
                if (string.IsNullOrWhiteSpace(sectionText))
                {
                    throw new FormatException($"the '{r.Value}:' section is empty");
                }

                sections.Add((r, sectionText));
            }

            current.Clear();
        }
    }

    private static void CheckPlaceholders(string text, List<string> inputs)
    {
        foreach (Match match in PlaceholderRegex().Matches(text))
        {
            string name = match.Groups[1].Value;
            if (!inputs.Contains(name, StringComparer.Ordinal))
            {
                throw new FormatException($"the placeholder {{{{{name}}}}} is not declared under 'inputs'");
            }
        }

        string rest = PlaceholderRegex().Replace(text, "");
        int odd = rest.IndexOf("{{", StringComparison.Ordinal);
        if (odd < 0)
        {
            odd = rest.IndexOf("{%", StringComparison.Ordinal);
        }

        if (odd >= 0)
        {
            string snippet = rest.Substring(odd, Math.Min(30, rest.Length - odd)).Split('\n')[0];
            throw new FormatException($"'{snippet}' is not a placeholder; only {{{{name}}}} is supported");
        }
    }

    private static string RequiredString(JsonObject front, string key) =>
        front[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } s
            ? s
            : throw new FormatException($"'{key}' is missing or empty");

    private static double? Number(JsonObject? parameters, string key, double min, double max)
    {
        if (parameters?[key] is not JsonNode node)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number ||
            !double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ||
            d < min || d > max)
        {
            throw new FormatException($"model.parameters.{key} must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (got '{node.ToJsonString()}')");
        }

        return d;
    }

    private static long? Integer(JsonObject? parameters, string key, long min, long max)
    {
        if (parameters?[key] is not JsonNode node)
        {
            return null;
        }

        if (node is not JsonValue value || !value.TryGetValue(out long l) || l < min || l > max)
        {
            throw new FormatException($"model.parameters.{key} must be an integer{(min > 0 ? " above 0" : "")} (got '{node.ToJsonString()}')");
        }

        return l;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex PlaceholderRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlaceholderNameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SchemaNameRegex();

    [GeneratedRegex(@"^\s*(system|user|assistant)\s*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RoleRegex();

    [GeneratedRegex(@"</?\s*untrusted", RegexOptions.IgnoreCase)]
    private static partial Regex DelimiterRegex();
}
