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
    public static readonly IReadOnlyList<string> Kinds = ["projects", "people", "meeting", "topics"];
    public static readonly IReadOnlyList<string> Priorities = ["highest", "high", "medium", "low", "none"];
    public static readonly IReadOnlyList<string> Urgencies = ["urgent", "high", "normal", "low"];

    /// <summary>Reads the validated JSON answer; throws <see cref="FormatException"/> when a value is out of range.</summary>
    /// <remarks>Strings are trimmed and empty list entries dropped; nothing else is repaired. A due date that is not
    /// <c>YYYY-MM-DD</c> means no due date; missing optional fields read as empty.</remarks>
    public static NoteContent FromJson(JsonElement value)
    {
        var root = new JsonFields(value, "note");
        var reply = root.Object("reply");
        return new NoteContent(
            Title: root.RequiredString("title"),
            Kind: root.Enum("kind", Kinds),
            Project: root.OptionalString("project"),
            Person: root.OptionalString("person"),
            Summary: root.RequiredString("summary"),
            Participants: root.Strings("participants"),
            ActionItems: root.Objects("action_items").Select(ReadActionItem).ToList(),
            Decisions: root.Strings("decisions"),
            KeyInformation: root.Strings("key_information"),
            Related: root.Strings("related"),
            Reply: new ReplyAssessment(
                Needed: reply.Bool("needed"),
                Urgency: reply.Enum("urgency", Urgencies),
                Reason: reply.OptionalString("reason") ?? string.Empty));
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

    private static ActionItem ReadActionItem(JsonFields item) => new(
        Task: item.RequiredString("task"),
        Owner: item.OptionalString("owner") ?? string.Empty,
        Due: item.Date("due"),
        Priority: item.OptionalString("priority") is null ? "none" : item.Enum("priority", Priorities));
}
