using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Drafts;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Notes;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>Brings one thread's note up to date and, when the latest message calls for it, writes its draft reply.</summary>
internal sealed partial class ThreadProcessor(
    Ledger.Ledger ledger,
    Ledger.OwnedFiles files,
    VaultLayout layout,
    PromptLibrary prompts,
    ILlmClient llm,
    IOptions<MeOptions> me,
    IOptions<LlmOptions> llmOptions,
    TimeProvider time,
    ILogger<ThreadProcessor> logger)
{
    public const string NoteStep = "thread-note";
    public const string DraftStep = "draft-reply";

    public async Task<ThreadResult> ProcessAsync(ThreadWork work, PeopleDirectory people, CancellationToken cancellationToken)
    {
        try
        {
            if (work.Transcript is { } transcript)
            {
                await WriteTranscriptNoteAsync(work, transcript, people, cancellationToken);
            }
            else
            {
                await WriteThreadAsync(work.ThreadId, people, cancellationToken);
            }

            return ThreadResult.Done(work.ThreadId);
        }
        catch (LlmException ex) when (ex.Kind is LlmFailureKind.Unavailable or LlmFailureKind.Paused)
        {
            return new ThreadResult(work.ThreadId, ThreadStatus.Waiting, ex.Message, ex.Kind);
        }
        catch (LlmException ex)
        {
            return new ThreadResult(work.ThreadId, ThreadStatus.Failed, ex.Message, ex.Kind);
        }
        catch (FormatException ex)
        {
            return new ThreadResult(work.ThreadId, ThreadStatus.Failed, "The model's answer did not fit the note or draft format: " + ex.Message);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or UnauthorizedAccessException))
        {
            // A bug must not stall the inbox: this thread's items fail with the reason; the others keep flowing.
            LogThreadCrashed(logger, ex, work.ThreadId);
            return new ThreadResult(work.ThreadId, ThreadStatus.Failed, $"ReplyDrafter hit an unexpected error on this thread ({ex.GetType().Name}: {ex.Message}). The log in .replydrafter/logs has the details.");
        }
    }

    private async Task WriteThreadAsync(string threadId, PeopleDirectory people, CancellationToken cancellationToken)
    {
        var stored = ledger.ThreadMessages(threadId);
        var messages = stored.Select(s => s.Message).ToList();
        var version = Hashing.Sha256(string.Join('\n', messages.Select(m => m.MessageId).Order(StringComparer.Ordinal)));
        var thread = ledger.FindThread(threadId) ?? new Ledger.ThreadRecord(threadId, null, null, null, null);
        if (thread.DoneVersion == version)
        {
            return;
        }

        var latest = messages[^1];
        var latestSource = stored[^1].SourcePath;
        var subject = SubjectNormalizer.Normalize(messages[0].Subject);
        var headerPeople = Addressing.Participants(messages);
        var ids = messages.Select(m => m.MessageId).ToList();
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);

        var (noteRequest, noteResponse) = await AskAsync(NoteStep, ids, maxChars =>
        {
            var thread = ThreadText.Format(messages, maxChars);
            return new Dictionary<string, string>
            {
                ["me_name"] = me.Value.Name,
                ["me_email"] = me.Value.Email,
                ["today"] = Iso(today),
                ["subject"] = subject,
                ["participants"] = string.Join(", ", headerPeople),
                ["known_people"] = string.Join(", ", ThreadText.PeopleMentioned(people.KnownNames, thread)),
                ["source_kind"] = "email",
                ["thread"] = thread,
            };
        }, cancellationToken);
        var content = NoteContent.FromJson(noteResponse.Value).WithCanonicalNames(people.Canonical);

        var date = DateOnly.FromDateTime(latest.Date.DateTime);
        var notePath = files.Claim("note:" + threadId, "note", layout.Notes, $"{Iso(DateOnly.FromDateTime(messages[0].Date.DateTime))}_{Slug.Make(subject, 69)}", ".md");
        var participants = headerPeople.Concat(content.Participants).Select(people.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        WriteWithRecord(notePath, new NoteDocument(content, date, participants, "email", latestSource, RecordPathFor(notePath), me.Value.Name), noteRequest, noteResponse);
        LogNoteWritten(logger, notePath, messages.Count);

        var why = Addressing.WhyNoDraft(latest, me.Value) ?? (content.Reply.Needed ? null : "the model judged no reply is needed");
        string? draftPath = thread.DraftPath;
        string? draftFor = thread.DraftFor;
        if (draftPath is not null && draftFor != latest.MessageId && files.DeleteIfUntouched(draftPath))
        {
            files.DeleteIfUntouched(RecordPathFor(draftPath));
            LogDraftSuperseded(logger, draftPath);
            (draftPath, draftFor) = (null, null);
        }

        if (why is null)
        {
            draftPath = await WriteDraftAsync(threadId, messages, latestSource, notePath, subject, content, today, cancellationToken);
            draftFor = latest.MessageId;
        }
        else
        {
            LogNoDraft(logger, subject, why);
        }

        ledger.SaveThread(new Ledger.ThreadRecord(threadId, version, notePath, draftPath, draftFor), time.GetUtcNow());
    }

    private async Task<string> WriteDraftAsync(
        string threadId, List<EmailMessage> messages, string latestSource, string notePath, string subject, NoteContent note, DateOnly today, CancellationToken cancellationToken)
    {
        var latest = messages[^1];
        var (to, cc) = Addressing.ReplyAll(latest, me.Value);
        var (request, response) = await AskAsync(DraftStep, messages.Select(m => m.MessageId).ToList(), maxChars => new Dictionary<string, string>
        {
            ["me_name"] = me.Value.Name,
            ["me_style"] = me.Value.Style,
            ["today"] = Iso(today),
            ["subject"] = subject,
            ["recipient_name"] = to.NameOrAddress,
            ["note_summary"] = note.Summary,
            ["urgency"] = note.Reply.Urgency,
            ["urgency_reason"] = note.Reply.Reason,
            ["thread"] = ThreadText.Format(messages, maxChars),
        }, cancellationToken);
        var draft = DraftContent.FromJson(response.Value);

        var path = files.Claim($"draft:{threadId}:{latest.MessageId}", "draft", layout.Outbox, $"{Iso(today)}_Reply-To_{Slug.Make(subject, 60)}", ".md");
        var document = new DraftDocument(
            time.GetLocalNow(),
            note.Reply.Urgency,
            to.Display,
            cc.Select(p => p.Display).ToList(),
            SubjectNormalizer.ReplySubject(latest.Subject),
            MessageIds.IsSynthesized(latest.MessageId) ? "" : latest.MessageId,
            latestSource,
            notePath,
            request.Settings.Model,
            request.Settings.Temperature,
            RecordPathFor(path),
            to.NameOrAddress,
            note.Title,
            draft,
            me.Value.Signature,
            note.Summary);
        WriteWithRecord(path, document, request, response);
        LogDraftWritten(logger, path, note.Reply.Urgency);
        return path;
    }

    private async Task WriteTranscriptNoteAsync(ThreadWork work, TranscriptDocument transcript, PeopleDirectory people, CancellationToken cancellationToken)
    {
        if (ledger.FindThread(work.ThreadId) is { DoneVersion: not null })
        {
            return;
        }

        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var (request, response) = await AskAsync(NoteStep, [], maxChars => new Dictionary<string, string>
        {
            ["me_name"] = me.Value.Name,
            ["me_email"] = me.Value.Email,
            ["today"] = Iso(today),
            ["subject"] = transcript.Title,
            ["participants"] = "",
            ["known_people"] = string.Join(", ", ThreadText.PeopleMentioned(people.KnownNames, transcript.Text)),
            ["source_kind"] = "transcript",
            ["thread"] = transcript.Text.Length > maxChars ? transcript.Text[..maxChars] + "\n[… shortened]" : transcript.Text,
        }, cancellationToken);
        var content = NoteContent.FromJson(response.Value).WithCanonicalNames(people.Canonical);
        var date = transcript.Date ?? today;
        var notePath = files.Claim("note:" + work.ThreadId, "note", layout.Notes, $"{Iso(date)}_{Slug.Make(transcript.Title, 69)}", ".md");
        var participants = content.Participants.Select(people.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        WriteWithRecord(notePath, new NoteDocument(content, date, participants, "transcript", work.TranscriptSourceRef!, RecordPathFor(notePath), me.Value.Name), request, response);
        ledger.SaveThread(new Ledger.ThreadRecord(work.ThreadId, "transcript", notePath, null, null), time.GetUtcNow());
        LogNoteWritten(logger, notePath, 1);
    }

    /// <summary>Sends a step; when the input is too long for the model, shrinks it once and tries again.</summary>
    private async Task<(LlmRequest, LlmResponse)> AskAsync(
        string step, IReadOnlyList<string> messageIds, Func<int, Dictionary<string, string>> variables, CancellationToken cancellationToken)
    {
        var template = prompts.Get(step);
        var maxChars = llmOptions.Value.MaxInputChars;
        try
        {
            var request = template.Prepare(step, prompts.DisplayPath(step), variables(maxChars), llmOptions.Value, messageIds);
            return (request, await llm.SendAsync(request, cancellationToken));
        }
        catch (LlmException ex) when (ex.Kind == LlmFailureKind.ContextLength)
        {
            LogShrinking(logger, step);
            var request = template.Prepare(step, prompts.DisplayPath(step), variables(maxChars / 3), llmOptions.Value, messageIds);
            return (request, await llm.SendAsync(request, cancellationToken));
        }
    }

    private void WriteWithRecord(string path, NoteDocument note, LlmRequest request, LlmResponse response) =>
        WriteWithRecord(path, NoteRenderer.Render(note), PromptRecord.DocumentToJson(note), request, response);

    private void WriteWithRecord(string path, DraftDocument draft, LlmRequest request, LlmResponse response) =>
        WriteWithRecord(path, DraftRenderer.Render(draft), PromptRecord.DocumentToJson(draft), request, response);

    /// <summary>The file and its prompt record, which keeps the rendered document and the file's hash for <c>replay</c>.</summary>
    private void WriteWithRecord(string path, string markdown, System.Text.Json.Nodes.JsonNode document, LlmRequest request, LlmResponse response)
    {
        var recordPath = RecordPathFor(path);
        files.ClaimExact(recordPath, "record:" + path, "prompt-record");
        files.Write(path, markdown);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal) { [path] = Hashing.Sha256(markdown) };
        files.Write(recordPath, PromptRecord.ToJson(request, response, llm.Provider, [path], document, hashes));
    }

    /// <summary><c>Outbox/_prompts/&lt;same stem&gt;.prompt.json</c> for a note or draft path.</summary>
    public string RecordPathFor(string producedPath) =>
        layout.Relative(Path.Combine(layout.PromptRecords, Path.GetFileNameWithoutExtension(producedPath) + ".prompt.json"));

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note written: {Path} ({Messages} message(s))")]
    private static partial void LogNoteWritten(ILogger logger, string path, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft written: {Path} (urgency {Urgency})")]
    private static partial void LogDraftWritten(ILogger logger, string path, string urgency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Older pending draft superseded: {Path}")]
    private static partial void LogDraftSuperseded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No draft for \"{Subject}\": {Reason}")]
    private static partial void LogNoDraft(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Thread {ThreadId} failed unexpectedly")]
    private static partial void LogThreadCrashed(ILogger logger, Exception exception, string threadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} input is too long for the model; trying once more with a shorter thread")]
    private static partial void LogShrinking(ILogger logger, string step);
}
