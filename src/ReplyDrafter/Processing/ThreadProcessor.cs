using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Drafts;
using ReplyDrafter.Learning;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Notes;
using ReplyDrafter.Steps;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>Brings one thread's note up to date and, when the latest message calls for it, writes its draft reply.</summary>
internal sealed partial class ThreadProcessor(
    Ledger.Ledger ledger,
    OwnedFiles files,
    VaultLayout layout,
    NoteStep noteStep,
    DraftStep draftStep,
    StepWriter writer,
    IEnumerable<IDraftSink> sinks,
    OutcomeTracker outcomes,
    ILlmClient llm,
    IOptions<MeOptions> me,
    TimeProvider time,
    ILogger<ThreadProcessor> logger,
    ReplyDrafterTelemetry? telemetry = null)
{
    public async Task<ThreadResult> ProcessAsync(ThreadWork work, PeopleDirectory people, CancellationToken cancellationToken)
    {
        // The message count is set once the thread is read (a transcript is one).
        using var span = telemetry?.StartThread(work.ThreadId, work.Transcript is null ? 0 : 1);
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
            LogThreadCrashed(logger, work.ThreadId, ex.GetType().Name);
            LogThreadCrashedDetail(logger, ex, work.ThreadId);
            return new ThreadResult(work.ThreadId, ThreadStatus.Failed, $"ReplyDrafter hit an unexpected error on this thread ({ex.GetType().Name}: {ex.Message}). The log in .replydrafter/logs has the details.");
        }
    }

    private async Task WriteThreadAsync(string threadId, PeopleDirectory people, CancellationToken cancellationToken)
    {
        var stored = ledger.ThreadMessages(threadId);
        var messages = stored.Select(s => s.Message).ToList();
        System.Diagnostics.Activity.Current?.SetTag("replydrafter.thread.messages", messages.Count);
        var own = ledger.OwnMessagesOfThread(threadId);
        // A message proven the user's own after it was first seen changes the version, so the thread is taken up again.
        var version = Hashing.Sha256(string.Join('\n', messages.Select(m => m.MessageId).Order(StringComparer.Ordinal).Concat(own.Order(StringComparer.Ordinal).Select(id => "own:" + id))));
        var thread = ledger.FindThread(threadId) ?? new Ledger.ThreadRecord(threadId, null, null, null, null);
        if (thread.DoneVersion == version)
        {
            return;
        }

        // The user's own messages first: a reply to the open draft is its outcome, and keeps it from being superseded.
        outcomes.TakeUserMessages(threadId, messages, own, thread.DoneVersion is not null);

        // Mail that only claims to be from the user is ordinary mail for the note, but it neither answers nor supersedes
        // a draft, and stays out of the draft's input (the model would read it as the user's own words).
        bool Claimed(EmailMessage m) => me.Value.IsMe(m.From.Address) && !own.Contains(m.MessageId);
        var replyable = messages.Where(m => !Claimed(m)).ToList();

        var latest = messages[^1];
        var latestSource = stored[^1].SourcePath;
        // A subject of prefixes only ("Re: RE: Fwd:") takes the next message's real subject, or the first words of the text.
        var subject = SubjectNormalizer.SubjectOrFallback(messages[0].Subject, messages.Skip(1).Select(m => m.Subject).Reverse(), messages[0].OwnText);
        var headerPeople = Addressing.Participants(messages);
        var ids = messages.Select(m => m.MessageId).ToList();
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);

        var noteAnswer = await noteStep.AskAsync(ids, maxChars =>
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
        var content = noteAnswer.Value.WithCanonicalNames(people.Canonical);

        var date = DateOnly.FromDateTime(latest.Date.DateTime);
        var notePath = writer.Claim("note:" + threadId, "note", layout.Notes, $"{Iso(DateOnly.FromDateTime(messages[0].Date.DateTime))}_{Slug.Make(subject, 69)}", ".md");
        var participants = headerPeople.Concat(content.Participants).Select(people.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        writer.Write(notePath, noteStep.File(new NoteDocument(content, date, participants, "email", latestSource, writer.RecordPathFor(notePath), me.Value.Name)), noteAnswer.Request, noteAnswer.Response, llm.Provider);
        LogNoteWritten(logger, notePath, messages.Count);

        var answer = replyable.Count > 0 ? replyable[^1] : latest;
        var why = Claimed(answer) ? "the message only claims to be from you (it did not come from your sent mail)"
            : Addressing.WhyNoDraft(answer, me.Value) ?? (content.Reply.Needed ? null : "the model judged no reply is needed");
        string? draftPath = thread.DraftPath;
        string? draftFor = thread.DraftFor;
        if (draftPath is not null && draftFor == answer.MessageId && !ReferenceEquals(answer, latest))
        {
            why ??= "the draft for the message it answers is already written";
        }
        else if (draftPath is not null && draftFor != answer.MessageId && outcomes.HasOutcome(draftPath))
        {
            // The user answered it (or it was ignored): it stays in the Outbox, marked, and is no longer the pending draft.
            (draftPath, draftFor) = (null, null);
            foreach (var sink in sinks)
            {
                await sink.WithdrawAsync(threadId, cancellationToken);
            }
        }
        else if (draftPath is not null && draftFor != answer.MessageId && !own.Contains(answer.MessageId) && files.IsUntouched(draftPath))
        {
            // Superseded only by someone else's newer message: the user's own reply to another message of the thread
            // leaves the draft open (it is withdrawn only by a reply to the message it answers).
            // The sinks first: a copy the user edited in the Drafts folder keeps its Outbox draft (pending, so the reply
            // they send from it still pairs with it); only a draft untouched everywhere is deleted.
            bool editedElsewhere = false;
            foreach (var sink in sinks)
            {
                editedElsewhere |= await sink.WithdrawAsync(threadId, cancellationToken) == DraftWithdrawal.KeptEdited;
            }

            if (editedElsewhere)
            {
                LogDraftKeptEdited(logger, draftPath);
            }
            else if (files.DeleteIfUntouched(draftPath))
            {
                files.DeleteIfUntouched(writer.RecordPathFor(draftPath));
                outcomes.DraftWithdrawn(draftPath);
                LogDraftSuperseded(logger, draftPath);
            }

            (draftPath, draftFor) = (null, null);
        }

        if (why is null)
        {
            var answerSource = stored[messages.IndexOf(answer)].SourcePath;
            var document = await WriteDraftAsync(threadId, replyable, answerSource, notePath, subject, content, today, cancellationToken);
            draftPath = document.Path;
            draftFor = answer.MessageId;
            telemetry?.DraftWritten();
            foreach (var sink in sinks)
            {
                await sink.DeliverAsync(new DraftDelivery(threadId, document.Path, document.Draft, replyable, document.To, document.Cc), cancellationToken);
            }
        }
        else
        {
            LogNoDraft(logger, subject, why);
        }

        ledger.SaveThread(new Ledger.ThreadRecord(threadId, version, notePath, draftPath, draftFor), time.GetUtcNow());
    }

    private async Task<(string Path, DraftDocument Draft, MailboxAddress? To, IReadOnlyList<MailboxAddress> Cc)> WriteDraftAsync(
        string threadId, List<EmailMessage> messages, string latestSource, string notePath, string subject, NoteContent note, DateOnly today, CancellationToken cancellationToken)
    {
        var latest = messages[^1];
        var (to, cc) = Addressing.ReplyAll(latest, me.Value);
        // Recipients stay mailboxes from here on: the Outbox text is written from them and never parsed back.
        var toMailbox = to.ToMailbox();
        var ccMailboxes = cc.Select(party => party.ToMailbox()).OfType<MailboxAddress>().ToList();
        var examples = outcomes.ExamplesFor(threadId, [.. cc.Prepend(to).Select(p => p.Address)]);
        var answer = await draftStep.AskAsync(messages.Select(m => m.MessageId).ToList(), maxChars => new Dictionary<string, string>
        {
            ["me_name"] = me.Value.Name,
            ["me_style"] = me.Value.Style,
            ["today"] = Iso(today),
            ["subject"] = subject,
            ["recipient_name"] = to.NameOrAddress,
            ["note_summary"] = note.Summary,
            ["urgency"] = note.Reply.Urgency,
            ["urgency_reason"] = note.Reply.Reason,
            ["thread"] = DraftInput.Format(messages, me.Value, maxChars),
            ["style_examples"] = StyleExampleBlock.Render(examples),
            ["style_example_ids"] = StyleExampleBlock.Ids(examples),
        }, cancellationToken);

        var path = writer.Claim($"draft:{threadId}:{latest.MessageId}", "draft", layout.Outbox, $"{Iso(today)}_Reply-To_{Slug.Make(subject, 60)}", ".md");
        var document = new DraftDocument(
            time.GetLocalNow(),
            note.Reply.Urgency,
            toMailbox is null ? to.Display : MailboxText.Format(toMailbox),
            cc.Select(party => party.ToMailbox() is { } mailbox ? MailboxText.Format(mailbox) : party.Display).ToList(),
            SubjectNormalizer.ReplySubject(latest.Subject, messages.SkipLast(1).Select(m => m.Subject), latest.OwnText),
            MessageIds.IsSynthesized(latest.MessageId) ? "" : latest.MessageId,
            latestSource,
            notePath,
            answer.Request.Settings.Model,
            answer.Request.Settings.Temperature,
            writer.RecordPathFor(path),
            to.NameOrAddress,
            note.Title,
            answer.Value,
            me.Value.Signature,
            note.Summary);
        writer.Write(path, draftStep.File(document), answer.Request, answer.Response, llm.Provider);
        outcomes.DraftWritten(threadId, path, latest.MessageId, document, answer.Request);
        LogDraftWritten(logger, path, note.Reply.Urgency);
        return (path, document, toMailbox, ccMailboxes);
    }

    private async Task WriteTranscriptNoteAsync(ThreadWork work, TranscriptDocument transcript, PeopleDirectory people, CancellationToken cancellationToken)
    {
        if (ledger.FindThread(work.ThreadId) is { DoneVersion: not null })
        {
            return;
        }

        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var answer = await noteStep.AskAsync([], maxChars => new Dictionary<string, string>
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
        var content = answer.Value.WithCanonicalNames(people.Canonical);
        var date = transcript.Date ?? today;
        var notePath = writer.Claim("note:" + work.ThreadId, "note", layout.Notes, $"{Iso(date)}_{Slug.Make(transcript.Title, 69)}", ".md");
        var participants = content.Participants.Select(people.Canonical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        writer.Write(notePath, noteStep.File(new NoteDocument(content, date, participants, "transcript", work.TranscriptSourceRef!, writer.RecordPathFor(notePath), me.Value.Name)), answer.Request, answer.Response, llm.Provider);
        ledger.SaveThread(new Ledger.ThreadRecord(work.ThreadId, "transcript", notePath, null, null), time.GetUtcNow());
        LogNoteWritten(logger, notePath, 1);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note written: {Path} ({Messages} message(s))")]
    private static partial void LogNoteWritten(ILogger logger, string path, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft written: {Path} (urgency {Urgency})")]
    private static partial void LogDraftWritten(ILogger logger, string path, string urgency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Older pending draft superseded: {Path}")]
    private static partial void LogDraftSuperseded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Older draft {Path} stays: you edited its copy in the Drafts folder")]
    private static partial void LogDraftKeptEdited(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No draft for \"{Subject}\": {Reason}")]
    private static partial void LogNoDraft(ILogger logger, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Thread {ThreadId} failed unexpectedly ({ExceptionType}); its items go to the failed folder")]
    private static partial void LogThreadCrashed(ILogger logger, string threadId, string exceptionType);

    // The console is the user's: the stack trace goes to the debug log only.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Thread {ThreadId} failed unexpectedly")]
    private static partial void LogThreadCrashedDetail(ILogger logger, Exception exception, string threadId);

}
