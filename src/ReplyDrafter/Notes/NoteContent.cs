using System.Text.Json;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Notes;

/// <summary>An action item as the model proposed it. <see cref="Priority"/>: highest | high | medium | low | none.</summary>
public sealed record ActionItem(string Task, string Owner, DateOnly? Due, string Priority);

/// <summary>Whether the latest message calls for an answer, as the model judged it.</summary>
/// <param name="Urgency">urgent | high | normal | low.</param>
public sealed record ReplyAssessment(bool Needed, string Urgency, string Reason);

/// <summary>The note step's answer, after schema validation and deserialization.</summary>
/// <param name="Kind">projects | people | meeting | topics (the note's <c>type</c>).</param>
public sealed record NoteContent(
    string Title,
    string Kind,
    string? Project,
    string? Person,
    string Summary,
    IReadOnlyList<string> Participants,
    IReadOnlyList<ActionItem> ActionItems,
    IReadOnlyList<string> Decisions,
    IReadOnlyList<string> KeyInformation,
    IReadOnlyList<string> Related,
    ReplyAssessment Reply)
{
    /// <summary>Reads the validated JSON answer against the shipped template's vocabulary.</summary>
    public static NoteContent FromJson(JsonElement value) => FromJson(value, NoteVocabulary.Shipped);

    /// <summary>Reads the validated JSON answer; throws <see cref="FormatException"/> when a value is out of range.</summary>
    /// <remarks>Strings are trimmed and empty list entries dropped; nothing else is repaired. A due date that is not
    /// <c>YYYY-MM-DD</c> means no due date; missing optional fields read as empty.</remarks>
    internal static NoteContent FromJson(JsonElement value, NoteVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var answer = AnswerJson.Read(value, AnswerJsonContext.Default.NoteAnswer, "note");
        var reply = answer.Reply ?? throw new FormatException("'note.reply' is missing.");
        return new NoteContent(
            Title: AnswerJson.Required(answer.Title, "note.title"),
            Kind: AnswerJson.OneOf(answer.Kind, vocabulary.Kinds, "note.kind"),
            Project: AnswerJson.Optional(answer.Project),
            Person: AnswerJson.Optional(answer.Person),
            Summary: AnswerJson.Required(answer.Summary, "note.summary"),
            Participants: AnswerJson.Strings(answer.Participants),
            ActionItems: (answer.ActionItems ?? []).Select((item, i) => ReadActionItem(item, i, vocabulary)).ToList(),
            Decisions: AnswerJson.Strings(answer.Decisions),
            KeyInformation: AnswerJson.Strings(answer.KeyInformation),
            Related: AnswerJson.Strings(answer.Related),
            Reply: new ReplyAssessment(
                Needed: reply.Needed ?? throw new FormatException("'note.reply.needed' must be true or false."),
                Urgency: AnswerJson.OneOf(reply.Urgency, vocabulary.Urgencies, "note.reply.urgency"),
                Reason: AnswerJson.Optional(reply.Reason) ?? string.Empty));
    }

    /// <summary>The same content with every person name replaced by its canonical spelling (e.g. <see cref="PeopleDirectory.Canonical"/>).</summary>
    public NoteContent WithCanonicalNames(Func<string, string> canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return this with
        {
            Person = Person is null ? null : canonical(Person),
            Participants = Participants.Select(canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            ActionItems = ActionItems.Select(item => item.Owner.Length == 0 ? item : item with { Owner = canonical(item.Owner) }).ToList(),
            Related = Related.Select(canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    private static ActionItem ReadActionItem(ActionItemAnswer? item, int index, NoteVocabulary vocabulary)
    {
        var field = $"note.action_items[{index}]";
        var answer = item ?? throw new FormatException($"'{field}' is null.");
        return new ActionItem(
            Task: AnswerJson.Required(answer.Task, field + ".task"),
            Owner: AnswerJson.Optional(answer.Owner) ?? string.Empty,
            Due: AnswerJson.Date(answer.Due),
            Priority: AnswerJson.Optional(answer.Priority) is null ? "none" : AnswerJson.OneOf(answer.Priority, vocabulary.Priorities, field + ".priority"));
    }
}
