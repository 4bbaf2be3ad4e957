using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Notes;
using ReplyDrafter.Steps;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Drafts;

/// <summary>
/// The draft reply: <c>prompts/draft-reply.prompty</c>, answered as <see cref="DraftContent"/>, written to Outbox/ and
/// handed to the sinks. Reads the note step's <see cref="NoteContent"/>, so it is registered after it. Keeps one pending
/// draft per thread: a newer message from someone else supersedes an untouched older draft.
/// </summary>
internal sealed partial class DraftStep(
    StepCaller caller,
    StepWriter writer,
    OwnedFiles files,
    VaultLayout layout,
    IDraftOutcomes outcomes,
    IEnumerable<IDraftSink> sinks,
    IOptions<MeOptions> me,
    TimeProvider time,
    ILogger<DraftStep> logger,
    ReplyDrafterTelemetry? telemetry = null) : ThreadStep<DraftContent, DraftDocument>(caller)
{
    public const string StepName = "draft-reply";

    /// <summary>The <c>status</c> of a replayed draft: it is for comparing, never a draft awaiting review.</summary>
    public const string ReplayStatus = "replay";

    public override string Name => StepName;

    public override string Folder(VaultLayout layout) => layout.Outbox;

    public override DraftContent ReadAnswer(JsonElement answer) => DraftContent.FromJson(answer);

    public override string Render(DraftDocument document) => DraftRenderer.Render(document);

    /// <summary>A draft's file as this step renders it, for rewriting a draft's status outside the pipeline.</summary>
    public static StepFile FileOf(DraftDocument document) => new(DraftRenderer.Render(document), PromptRecord.DocumentToJson(document));

    public override async Task RunAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        if (thread.Transcript is not null)
        {
            return; // a transcript has no one to answer
        }

        var note = thread.Get<NoteContent>();
        var messages = thread.Messages;
        var own = thread.Own;

        // Mail that only claims to be from the user is ordinary mail for the note, but it neither answers nor supersedes
        // a draft, and stays out of the draft's input (the model would read it as the user's own words).
        bool Claimed(EmailMessage m) => me.Value.IsMe(m.From.Address) && !own.Contains(m.MessageId);
        var replyable = messages.Where(m => !Claimed(m)).ToList();
        var latest = messages[^1];
        var answer = replyable.Count > 0 ? replyable[^1] : latest;
        var why = Claimed(answer) ? "the message only claims to be from you (it did not come from your sent mail)"
            : Addressing.WhyNoDraft(answer, me.Value) ?? (note.Reply.Needed ? null : "the model judged no reply is needed");
        var (draftPath, draftFor) = (thread.DraftPath, thread.DraftFor);
        if (draftPath is not null && draftFor == answer.MessageId && !ReferenceEquals(answer, latest))
        {
            why ??= "the draft for the message it answers is already written";
        }
        else if (draftPath is not null && draftFor != answer.MessageId && outcomes.HasOutcome(draftPath))
        {
            // The user answered it (or it was ignored): it stays in the Outbox, marked, and is no longer the pending draft.
            (thread.DraftPath, thread.DraftFor) = (null, null);
            foreach (var sink in sinks)
            {
                await sink.WithdrawAsync(thread.ThreadId, cancellationToken);
            }
        }
        else if (draftPath is not null && draftFor != answer.MessageId && !own.Contains(answer.MessageId) && files.IsUntouched(draftPath))
        {
            // Superseded only by someone else's newer message: the user's own reply to another message of the thread
            // leaves the draft open (it is withdrawn only by a reply to the message it answers).
            await SupersedeAsync(thread.ThreadId, draftPath, cancellationToken);
            (thread.DraftPath, thread.DraftFor) = (null, null);
        }

        if (why is not null)
        {
            LogNoDraft(logger, thread.Subject, why);
            return;
        }

        var answerSource = thread.Sources[messages.ToList().IndexOf(answer)];
        var notePath = thread.NotePath ?? throw new InvalidOperationException("The draft step links the thread's note: register the note step first.");
        var written = await WriteDraftAsync(thread, replyable, answerSource, notePath, note, cancellationToken);
        (thread.DraftPath, thread.DraftFor) = (written.Path, answer.MessageId);
        telemetry?.DraftWritten();
        foreach (var sink in sinks)
        {
            await sink.DeliverAsync(new DraftDelivery(thread.ThreadId, written.Path, written.Draft, replyable, written.To, written.Cc), cancellationToken);
        }
    }

    protected override DraftDocument WithAnswer(DraftDocument recorded, DraftContent answer, ReplayContext context) => recorded with
    {
        Content = answer,
        Created = context.Now,
        AiModel = context.Settings.Model,
        AiTemperature = context.Settings.Temperature,
        PromptFile = context.PromptFile,
        Status = ReplayStatus,
        SentSimilarity = null,
        SentAt = null,
    };

    /// <summary>
    /// The sinks first: a copy the user edited in the Drafts folder keeps its Outbox draft (pending, so the reply they
    /// send from it still pairs with it); only a draft untouched everywhere is deleted.
    /// </summary>
    private async Task SupersedeAsync(string threadId, string draftPath, CancellationToken cancellationToken)
    {
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
    }

    private async Task<(string Path, DraftDocument Draft, MailboxAddress? To, IReadOnlyList<MailboxAddress> Cc)> WriteDraftAsync(
        ThreadRun thread, List<EmailMessage> messages, string latestSource, string notePath, NoteContent note, CancellationToken cancellationToken)
    {
        var latest = messages[^1];
        var (to, cc) = Addressing.ReplyAll(latest, me.Value);
        // Recipients stay mailboxes from here on: the Outbox text is written from them and never parsed back.
        var toMailbox = to.ToMailbox();
        var ccMailboxes = cc.Select(party => party.ToMailbox()).OfType<MailboxAddress>().ToList();
        var examples = outcomes.ExamplesFor(thread.ThreadId, [.. cc.Prepend(to).Select(p => p.Address)]);
        var answer = await AskAsync(messages.Select(m => m.MessageId).ToList(), maxChars => new Dictionary<string, string>
        {
            ["me_name"] = me.Value.Name,
            ["me_style"] = me.Value.Style,
            ["today"] = Iso(thread.Today),
            ["subject"] = thread.Subject,
            ["recipient_name"] = to.NameOrAddress,
            ["note_summary"] = note.Summary,
            ["urgency"] = note.Reply.Urgency,
            ["urgency_reason"] = note.Reply.Reason,
            ["thread"] = DraftInput.Format(messages, me.Value, maxChars),
            ["style_examples"] = StyleExampleBlock.Render(examples),
            ["style_example_ids"] = StyleExampleBlock.Ids(examples),
        }, cancellationToken);

        var path = writer.Claim($"draft:{thread.ThreadId}:{latest.MessageId}", "draft", layout.Outbox, $"{Iso(thread.Today)}_Reply-To_{Slug.Make(thread.Subject, 60)}", ".md");
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
        writer.Write(path, File(document), answer.Request, answer.Response, Provider);
        outcomes.DraftWritten(thread.ThreadId, path, latest.MessageId, document, answer.Request);
        LogDraftWritten(logger, path, note.Reply.Urgency);
        return (path, document, toMailbox, ccMailboxes);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft written: {Path} (urgency {Urgency})")]
    private static partial void LogDraftWritten(ILogger logger, string path, string urgency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Older pending draft superseded: {Path}")]
    private static partial void LogDraftSuperseded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Older draft {Path} stays: you edited its copy in the Drafts folder")]
    private static partial void LogDraftKeptEdited(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No draft for \"{Subject}\": {Reason}")]
    private static partial void LogNoDraft(ILogger logger, string subject, string reason);
}
