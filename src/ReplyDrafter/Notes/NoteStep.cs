using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Notes;

/// <summary>
/// The thread note: <c>prompts/thread-note.prompty</c>, answered as <see cref="NoteContent"/>, written to Notes/. Leaves
/// its <see cref="NoteContent"/> in the <see cref="ThreadRun"/> for the steps after it.
/// </summary>
internal sealed partial class NoteStep(StepCaller caller, StepWriter writer, VaultLayout layout, IOptions<MeOptions> me, ILogger<NoteStep> logger)
    : ThreadStep<NoteContent, NoteDocument>(caller)
{
    private readonly StepCaller _caller = caller;

    public const string StepName = "thread-note";

    public override string Name => StepName;

    public override string Folder(VaultLayout layout) => layout.Notes;

    /// <summary>Checked against the enum values of the active template's schema, the one place they are declared.</summary>
    public override NoteContent ReadAnswer(JsonElement answer) => NoteContent.FromJson(answer, NoteVocabulary.FromSchema(_caller.Schema(Name)));

    public override string Render(NoteDocument document) => NoteRenderer.Render(document);

    public override Task RunAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return thread.Transcript is null ? WriteThreadNoteAsync(thread, cancellationToken) : WriteTranscriptNoteAsync(thread, cancellationToken);
    }

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

    private async Task WriteThreadNoteAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        var messages = thread.Messages;
        var people = thread.People;
        var answer = await AskAsync(thread.MessageIds, maxChars =>
        {
            var text = ThreadText.Format(messages, maxChars);
            return Variables(thread, thread.Subject, string.Join(", ", thread.HeaderPeople), ThreadText.PeopleMentioned(people.KnownNames, text), "email", text);
        }, cancellationToken);
        var content = answer.Value.WithCanonicalNames(people.Canonical);

        var date = DateOnly.FromDateTime(messages[^1].Date.DateTime);
        var path = writer.Claim("note:" + thread.ThreadId, "note", layout.Notes, $"{Iso(DateOnly.FromDateTime(messages[0].Date.DateTime))}_{Slug.Make(thread.Subject, 69)}", ".md");
        var participants = thread.HeaderPeople.Concat(content.Participants).Select(people.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        writer.Write(path, File(new NoteDocument(content, date, participants, "email", thread.Sources[^1], writer.RecordPathFor(path), me.Value.Name)), answer.Request, answer.Response, Provider);
        LogNoteWritten(logger, path, messages.Count);
        thread.NotePath = path;
        thread.Set(content);
    }

    private async Task WriteTranscriptNoteAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        var transcript = thread.Transcript!;
        var answer = await AskAsync([], maxChars => Variables(
            thread,
            transcript.Title,
            "",
            ThreadText.PeopleMentioned(thread.People.KnownNames, transcript.Text),
            "transcript",
            transcript.Text.Length > maxChars ? transcript.Text[..maxChars] + "\n[… shortened]" : transcript.Text), cancellationToken);
        var content = answer.Value.WithCanonicalNames(thread.People.Canonical);
        var date = transcript.Date ?? thread.Today;
        var path = writer.Claim("note:" + thread.ThreadId, "note", layout.Notes, $"{Iso(date)}_{Slug.Make(transcript.Title, 69)}", ".md");
        var participants = content.Participants.Select(thread.People.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        writer.Write(path, File(new NoteDocument(content, date, participants, "transcript", thread.TranscriptSourceRef!, writer.RecordPathFor(path), me.Value.Name)), answer.Request, answer.Response, Provider);
        LogNoteWritten(logger, path, 1);
        thread.NotePath = path;
        thread.Set(content);
    }

    /// <summary>The template's variables, in the order the template's inputs are recorded.</summary>
    private Dictionary<string, string> Variables(ThreadRun thread, string subject, string participants, IReadOnlyList<string> knownPeople, string sourceKind, string text) => new()
    {
        ["me_name"] = me.Value.Name,
        ["me_email"] = me.Value.Email,
        ["today"] = Iso(thread.Today),
        ["subject"] = subject,
        ["participants"] = participants,
        ["known_people"] = string.Join(", ", knownPeople),
        ["source_kind"] = sourceKind,
        ["thread"] = text,
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note written: {Path} ({Messages} message(s))")]
    private static partial void LogNoteWritten(ILogger logger, string path, int messages);
}
