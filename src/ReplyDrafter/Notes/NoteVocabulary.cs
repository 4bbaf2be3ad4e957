using System.Text.Json;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Notes;

/// <summary>
/// The allowed values of the note's enum fields. They are declared once, in the schema of
/// <c>prompts/thread-note.prompty</c>, and read from there: the answer is checked against the active template's schema,
/// the renderers against the shipped one.
/// </summary>
internal sealed record NoteVocabulary(IReadOnlyList<string> Kinds, IReadOnlyList<string> Priorities, IReadOnlyList<string> Urgencies)
{
    private static readonly Lazy<NoteVocabulary> s_shipped = new(() =>
        FromSchema(PromptTemplate.Load(Path.Combine(AppContext.BaseDirectory, "prompts", NoteStep.StepName + ".prompty")).OutputSchema));

    /// <summary>The vocabulary of the template shipped beside the program.</summary>
    public static NoteVocabulary Shipped => s_shipped.Value;

    /// <summary>Reads <c>kind</c>, <c>action_items[].priority</c> and <c>reply.urgency</c> from a thread-note schema.</summary>
    public static NoteVocabulary FromSchema(JsonElement schema) =>
        new(Enum(schema, "kind"), Enum(schema, "action_items", "priority"), Enum(schema, "reply", "urgency"));

    private static List<string> Enum(JsonElement schema, params string[] path)
    {
        var node = schema;
        try
        {
            for (var i = 0; i < path.Length; i++)
            {
                node = node.GetProperty("properties").GetProperty(path[i]);
                if (i < path.Length - 1 && node.TryGetProperty("items", out var items))
                {
                    node = items;
                }
            }

            return node.GetProperty("enum").EnumerateArray().Select(value => value.GetString() ?? "").ToList();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"The thread-note schema has no enum at '{string.Join('.', path)}'.", e);
        }
    }
}
