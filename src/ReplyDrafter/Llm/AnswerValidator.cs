using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.AI;

namespace ReplyDrafter.Llm;

/// <summary>What a check of one answer found: the value when it fits, else the problems in words the model can act on.</summary>
internal sealed record AnswerCheck(JsonElement? Value, IReadOnlyList<string> Problems)
{
    public bool IsValid => Value is not null;
}

/// <summary>Checks an answer against the step's JSON schema. The model is untrusted: nothing unchecked gets through.</summary>
internal sealed class AnswerValidator
{
    private const int MaxProblems = 5;

    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public AnswerCheck Check(ChatResponse response, LlmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(settings);
        if (response.FinishReason == ChatFinishReason.Length)
        {
            return Problem("the answer was cut off (finish reason length); answer more briefly");
        }

        JsonElement value;
        try
        {
            using var document = JsonDocument.Parse(WithoutCodeFence(response.Text));
            value = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Problem("the answer is not valid JSON");
        }

        var schema = _schemas.GetOrAdd(settings.OutputSchema.GetRawText(), static text =>
            JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
        // Most answers fit: a yes/no evaluation stops at the first failure and collects nothing; only a failed answer
        // is evaluated again for the problems to send back.
        if (schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return new AnswerCheck(value, []);
        }

        var result = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var problems = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(err => $"{Location(d.InstanceLocation.ToString())}: {err.Value}"))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxProblems)
            .ToList();
        return new AnswerCheck(null, problems.Count > 0 ? problems : [$"the answer does not fit the '{settings.SchemaName}' schema"]);
    }

    /// <summary>
    /// Some local models wrap their JSON in a markdown fence (<c>```json … ```</c>) even in JSON mode; the object
    /// inside is still checked against the schema like any other answer.
    /// </summary>
    internal static string WithoutCodeFence(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return text;
        }

        var inner = trimmed[3..^3];
        var firstLineEnd = inner.IndexOf('\n');
        return firstLineEnd < 0 ? inner.ToString() : inner[(firstLineEnd + 1)..].ToString();
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "(root)" : pointer;

    private static AnswerCheck Problem(string problem) => new(null, [problem]);
}
