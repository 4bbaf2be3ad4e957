using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Drafts;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Learning;

/// <summary>
/// Pairs what the user sent with the drafts ReplyDrafter wrote, and writes down what became of each: in the ledger
/// always, in the draft's prompt record, and in the Outbox file's frontmatter only while that file is exactly as
/// ReplyDrafter wrote it (a file the user edited is never rewritten).
/// </summary>
internal sealed partial class OutcomeTracker(
    Ledger.VaultLedger ledger,
    OwnedFiles files,
    VaultLayout layout,
    StepWriter writer,
    IOptions<MeOptions> me,
    IOptions<LearningOptions> options,
    TimeProvider time,
    ILogger<OutcomeTracker> logger) : IDraftOutcomes
{
    /// <summary>Style examples are chosen among this many of the user's most recent messages.</summary>
    public const int MaxCandidates = 2_000;

    private const string Pending = "pending";

    /// <summary>A draft just written for <paramref name="threadId"/>: pending until the user replies or it is ignored.</summary>
    public void DraftWritten(string threadId, string draftPath, string answeredId, DraftDocument draft, LlmRequest request) =>
        ledger.SaveDraft(new DraftOutcomeRecord(
            draftPath, threadId, answeredId, request.Settings.Model, request.Template.Sha256, time.GetUtcNow(),
            SignatureText.Without(draft.Content.Body, me.Value.Signature), Pending, null, null, null));

    /// <summary>A superseded draft was deleted before anyone saw an outcome: it counts as nothing.</summary>
    public void DraftWithdrawn(string draftPath) => ledger.ForgetDraft(draftPath);

    /// <summary>True when the draft has an outcome (sent, edited, rewritten, ignored): it stays in the Outbox, marked.</summary>
    public bool HasOutcome(string draftPath) => ledger.FindDraft(draftPath) is { } draft && draft.Outcome != Pending;

    /// <summary>
    /// Takes in the user's own messages of a thread not seen before: only those in <paramref name="own"/>, proven by
    /// their origin (a message merely <c>From:</c> the user is ordinary mail). In a thread processed before, each is the
    /// outcome of the draft for the message it answers (In-Reply-To, else the last of References), or "missed" when that
    /// message got no draft. Messages seen with a thread's history count as nothing; all become style examples, except
    /// one that carries our draft's Message-ID (a client that kept it on sending): its text may be ours, not the user's.
    /// </summary>
    public void TakeUserMessages(string threadId, IReadOnlyList<EmailMessage> messages, IReadOnlySet<string> own, bool threadSeenBefore)
    {
        var mine = messages.Where(m => own.Contains(m.MessageId) && !ledger.HasUserReply(m.MessageId)).ToList();
        if (mine.Count == 0)
        {
            return;
        }

        var drafts = threadSeenBefore ? ledger.DraftsOfThread(threadId).ToList() : [];
        foreach (var message in mine)
        {
            var text = SignatureText.Without(message.OwnText, me.Value.Signature);
            string? outcome = null;
            string? draftPath = null;
            if (threadSeenBefore)
            {
                var answeredId = AnsweredId(message);
                var draft = answeredId is null ? null : drafts.FirstOrDefault(d => d.Outcome is Pending or "ignored" && d.AnsweredId == answeredId);
                if (draft is not null)
                {
                    var similarity = ReplySimilarity.Compute(draft.DraftText, text);
                    var result = DraftOutcomes.FromSimilarity(similarity);
                    Apply(draft, result, similarity, message.Date.ToUniversalTime(), message.MessageId);
                    drafts.Remove(draft);
                    (outcome, draftPath) = (result.ToWord(), draft.DraftPath);
                    LogPaired(logger, draft.DraftPath, outcome, similarity);
                }
                else if (AnsweredMessage(message, answeredId, messages) is { } answered && !drafts.Any(d => d.AnsweredId == answered.MessageId))
                {
                    outcome = DraftOutcome.Missed.ToWord();
                    LogMissed(logger, threadId);
                }
            }

            if (OwnMail.IsOurDraftId(message.MessageId))
            {
                text = "";
            }

            var recipients = message.To.Concat(message.Cc).Select(p => p.Address).Where(a => !string.IsNullOrWhiteSpace(a)).ToList();
            ledger.AddUserReply(new UserReplyRecord(message.MessageId, threadId, message.Date.ToUniversalTime(), recipients, text, outcome, draftPath, time.GetUtcNow()));
        }
    }

    /// <summary>Marks every pending draft older than <see cref="LearningOptions.IgnoredAfter"/> as ignored; returns how many.</summary>
    public int MarkIgnored()
    {
        var cutoff = time.GetUtcNow() - options.Value.IgnoredAfter;
        var stale = ledger.Drafts(outcome: Pending).Where(d => d.CreatedAt <= cutoff).ToList();
        foreach (var draft in stale)
        {
            Apply(draft, DraftOutcome.Ignored, null, null, null);
        }

        if (stale.Count > 0)
        {
            LogIgnored(logger, stale.Count);
        }

        return stale.Count;
    }

    /// <summary>The user's earlier replies that show the draft step their voice: <see cref="StyleExamples.Select"/> over what the pipeline has seen.</summary>
    public IReadOnlyList<SentReply> ExamplesFor(string threadId, IReadOnlyCollection<string> recipients) =>
        me.Value.StyleExamples <= 0
            ? []
            : StyleExamples.Select(
                ledger.UserReplies(limit: MaxCandidates).Select(r => new SentReply(r.MessageId, r.ThreadId, r.Recipients, r.SentAt, r.OwnText)),
                recipients, threadId, me.Value.StyleExamples);

    /// <summary>The Message-ID a reply answers: In-Reply-To, else the last of References (the message it was written to).</summary>
    private static string? AnsweredId(EmailMessage message) =>
        MessageIds.Normalize(message.InReplyTo) ?? (message.References.Count > 0 ? MessageIds.Normalize(message.References[^1]) : null);

    /// <summary>The message another person sent that the user's message answers, or null when it answers none (a new conversation).</summary>
    private EmailMessage? AnsweredMessage(EmailMessage message, string? answeredId, IReadOnlyList<EmailMessage> thread)
    {
        var others = thread.Where(m => !me.Value.IsMe(m.From.Address)).ToList();
        return answeredId is not null
            ? others.FirstOrDefault(m => m.MessageId == answeredId)
            : others.LastOrDefault(m => m.Date <= message.Date && m.MessageId != message.MessageId);
    }

    /// <summary>
    /// The files first, the ledger last: a crash in between leaves the draft open in the ledger, so the rerun pairs it
    /// again and writes the same files, instead of a ledger that says "sent" above a file that still says "pending".
    /// </summary>
    private void Apply(DraftOutcomeRecord draft, DraftOutcome outcome, double? similarity, DateTimeOffset? sentAt, string? sentMessageId)
    {
        var word = outcome.ToWord();
        MarkFiles(draft, word, similarity, sentAt, sentMessageId);
        ledger.SetDraftOutcome(draft.DraftPath, word, similarity, sentAt, sentMessageId);
    }

    private void MarkFiles(DraftOutcomeRecord draft, string word, double? similarity, DateTimeOffset? sentAt, string? sentMessageId)
    {
        var recordPath = writer.RecordPathFor(draft.DraftPath);
        var recordFile = layout.Absolute(recordPath);
        if (!File.Exists(recordFile) || !files.IsUntouched(recordPath))
        {
            LogRecordNotOurs(logger, recordPath);
            return;
        }

        var record = JsonSerializer.Deserialize(File.ReadAllText(recordFile), PromptRecordJsonContext.Relaxed.PromptRecordDto)
            ?? throw new InvalidDataException($"The prompt record {recordPath} is empty.");
        record.Outcome = new PromptRecordDto.OutcomeDto { Status = word, Similarity = similarity, SentAt = sentAt, SentMessageId = sentMessageId };

        var draftFile = layout.Absolute(draft.DraftPath);
        if (record.Document is { } recorded && File.Exists(draftFile) && files.IsUntouched(draft.DraftPath))
        {
            var document = PromptRecord.DocumentFromJson<DraftDocument>(recorded) with { Status = word, SentSimilarity = similarity, SentAt = sentAt };
            var file = DraftStep.FileOf(document);
            files.Write(draft.DraftPath, file.Markdown);
            record.Document = file.Document;
            if (record.ProducedSha256 is { } produced)
            {
                produced[draft.DraftPath] = Hashing.Sha256(file.Markdown);
            }
        }
        else
        {
            LogDraftEdited(logger, draft.DraftPath);
        }

        files.Write(recordPath, JsonSerializer.Serialize(record, PromptRecordJsonContext.Relaxed.PromptRecordDto) + "\n");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draft {Path}: {Outcome} (similarity {Similarity})")]
    private static partial void LogPaired(ILogger logger, string path, string outcome, double similarity);

    [LoggerMessage(Level = LogLevel.Information, Message = "You replied in thread {ThreadId}, which had no draft: counted as missed")]
    private static partial void LogMissed(ILogger logger, string threadId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} draft(s) had no reply from you in time: counted as ignored")]
    private static partial void LogIgnored(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Draft {Path} was edited by you: its outcome goes to the ledger only")]
    private static partial void LogDraftEdited(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prompt record {Path} is missing or edited: its outcome goes to the ledger only")]
    private static partial void LogRecordNotOurs(ILogger logger, string path);
}
