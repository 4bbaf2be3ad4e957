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
    /// <summary>Reads the validated JSON answer; throws <see cref="FormatException"/> when a value is out of range.</summary>
    public static NoteContent FromJson(System.Text.Json.JsonElement value) => throw new NotImplementedException();
}

/// <summary>Everything a note file shows. Frontmatter values come from here, never keys from the model.</summary>
/// <param name="Source">email | transcript.</param>
/// <param name="SourceRef">Vault-relative path of the source copy (or archived transcript).</param>
/// <param name="PromptFile">Vault-relative path of the prompt record.</param>
/// <param name="MyName">The configured user: an owner with this name renders as <c>@Myself</c>.</param>
public sealed record NoteDocument(
    NoteContent Content,
    DateOnly Date,
    IReadOnlyList<string> Participants,
    string Source,
    string SourceRef,
    string PromptFile,
    string MyName);

internal static class NoteRenderer
{
    /// <summary>The note as markdown with YAML frontmatter (SPEC §2).</summary>
    public static string Render(NoteDocument note) => throw new NotImplementedException();
}
