using System.Text.Json;
using ReplyDrafter.Notes;

namespace ReplyDrafter.Tests.Notes;

public sealed class NoteVocabularyTests
{
    [Fact]
    public void Shipped_ReadsTheEnumsOfThePromptSchema()
    {
        var vocabulary = NoteVocabulary.Shipped;

        Assert.Equal(["projects", "people", "meeting", "topics"], vocabulary.Kinds);
        Assert.Equal(["highest", "high", "medium", "low", "none"], vocabulary.Priorities);
        Assert.Equal(["urgent", "high", "normal", "low"], vocabulary.Urgencies);
    }

    [Fact]
    public void FromJson_TemplateSchemaWithAnotherKind_AcceptsItAndRejectsTheOldOnes()
    {
        using var schema = JsonDocument.Parse("""
            { "properties": {
                "kind": { "enum": ["ideas"] },
                "action_items": { "items": { "properties": { "priority": { "enum": ["now"] } } } },
                "reply": { "properties": { "urgency": { "enum": ["soon"] } } } } }
            """);
        var vocabulary = NoteVocabulary.FromSchema(schema.RootElement);
        using var answer = JsonDocument.Parse("""{ "title": "T", "kind": "ideas", "summary": "S", "action_items": [{ "task": "Do", "priority": "now" }], "reply": { "needed": true, "urgency": "soon" } }""");

        var content = NoteContent.FromJson(answer.RootElement, vocabulary);

        Assert.Equal(("ideas", "now", "soon"), (content.Kind, content.ActionItems[0].Priority, content.Reply.Urgency));
        var error = Assert.Throws<FormatException>(() => NoteContent.FromJson(answer.RootElement, NoteVocabulary.Shipped));
        Assert.Equal("'note.kind' is 'ideas'; expected one of projects, people, meeting, topics.", error.Message);
    }
}
