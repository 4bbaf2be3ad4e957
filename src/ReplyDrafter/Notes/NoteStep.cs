using System.Text.Json;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Notes;

/// <summary>The thread note: <c>prompts/thread-note.prompty</c>, answered as <see cref="NoteContent"/>, written to Notes/.</summary>
internal sealed class NoteStep(StepCaller caller) : ThreadStep<NoteContent, NoteDocument>(caller)
{
    private readonly StepCaller _caller = caller;

    public const string StepName = "thread-note";

    public override string Name => StepName;

    public override string Folder(VaultLayout layout) => layout.Notes;

    /// <summary>Checked against the enum values of the active template's schema, the one place they are declared.</summary>
    public override NoteContent ReadAnswer(JsonElement answer) => NoteContent.FromJson(answer, NoteVocabulary.FromSchema(_caller.Schema(Name)));

    public override string Render(NoteDocument document) => NoteRenderer.Render(document);

    /// <remarks>Names are canonicalized as processing does; participants from the headers stay (the recorded ones already include them).</remarks>
    protected override NoteDocument WithAnswer(NoteDocument recorded, NoteContent answer, ReplayContext context)
    {
        var content = answer.WithCanonicalNames(context.People().Canonical);
        return recorded with
        {
            Content = content,
            Participants = recorded.Participants.Concat(content.Participants).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            PromptFile = context.PromptFile,
        };
    }
}
