using Microsoft.Extensions.Logging;
using ReplyDrafter.Drafts;
using ReplyDrafter.Learning;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Steps;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>
/// Takes one stored thread (or transcript) through the registered steps (<see cref="IThreadStep"/>: the note, then the
/// draft reply), unless it is done at its current version, and keeps what they wrote in the ledger.
/// </summary>
internal sealed partial class ThreadProcessor(
    Ledger.VaultLedger ledger,
    IEnumerable<IThreadStep> steps,
    OutcomeTracker outcomes,
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
        var record = ledger.FindThread(threadId) ?? new Ledger.ThreadRecord(threadId, null, null, null, null);
        if (record.DoneVersion == version)
        {
            return;
        }

        // The user's own messages first: a reply to the open draft is its outcome, and keeps it from being superseded.
        outcomes.TakeUserMessages(threadId, messages, own, record.DoneVersion is not null);

        var thread = new ThreadRun
        {
            ThreadId = threadId,
            People = people,
            Today = Today(),
            Messages = messages,
            Sources = stored.Select(s => s.SourcePath).ToList(),
            Own = own,
            // A subject of prefixes only ("Re: RE: Fwd:") takes the next message's real subject, or the first words of the text.
            Subject = SubjectNormalizer.SubjectOrFallback(messages[0].Subject, messages.Skip(1).Select(m => m.Subject).Reverse(), messages[0].OwnText),
            HeaderPeople = Addressing.Participants(messages),
            NotePath = record.NotePath,
            DraftPath = record.DraftPath,
            DraftFor = record.DraftFor,
        };
        await RunStepsAsync(thread, cancellationToken);
        ledger.SaveThread(new Ledger.ThreadRecord(threadId, version, thread.NotePath, thread.DraftPath, thread.DraftFor), time.GetUtcNow());
    }

    private async Task WriteTranscriptNoteAsync(ThreadWork work, TranscriptDocument transcript, PeopleDirectory people, CancellationToken cancellationToken)
    {
        if (ledger.FindThread(work.ThreadId) is { DoneVersion: not null })
        {
            return;
        }

        var thread = new ThreadRun
        {
            ThreadId = work.ThreadId,
            People = people,
            Today = Today(),
            Transcript = transcript,
            TranscriptSourceRef = work.TranscriptSourceRef,
        };
        await RunStepsAsync(thread, cancellationToken);
        ledger.SaveThread(new Ledger.ThreadRecord(work.ThreadId, "transcript", thread.NotePath, null, null), time.GetUtcNow());
    }

    /// <summary>Every registered step, in registration order: each reads what the ones before it left in the run.</summary>
    private async Task RunStepsAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        foreach (var step in steps)
        {
            await step.RunAsync(thread, cancellationToken);
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    [LoggerMessage(Level = LogLevel.Error, Message = "Thread {ThreadId} failed unexpectedly ({ExceptionType}); its items go to the failed folder")]
    private static partial void LogThreadCrashed(ILogger logger, string threadId, string exceptionType);

    // The console is the user's: the stack trace goes to the debug log only.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Thread {ThreadId} failed unexpectedly")]
    private static partial void LogThreadCrashedDetail(ILogger logger, Exception exception, string threadId);

}
