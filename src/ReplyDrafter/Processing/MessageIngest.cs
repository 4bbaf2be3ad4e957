using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Mail;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>
/// Copies each new message to Sources/ and records it in the ledger with its thread; says which threads each item
/// touches. An item whose messages cannot be ingested fails alone, with the reason; the others go on.
/// </summary>
/// <remarks>
/// Our own drafts are never input: a message with one of our draft Message-IDs is skipped wherever it appears (a Gmail
/// "All Mail" folder holds the Drafts folder's copies), except in the user's sent mail without the \Draft flag, where a
/// client that keeps the draft's Message-ID on sending (Outlook does) put what the user really sent. A message is
/// recorded as the user's own only when <see cref="OwnMail.Proof"/> says what proves it.
/// </remarks>
internal sealed partial class MessageIngest(
    Ledger.VaultLedger ledger, OwnedFiles files, VaultLayout layout, IOptions<MeOptions> me, TimeProvider time, ILogger<MessageIngest> logger)
{
    /// <summary>The thread work for <paramref name="items"/>; <paramref name="failed"/> holds the items that could not be ingested, with why.</summary>
    public List<ThreadWork> Ingest(IReadOnlyList<IntakeItem> items, Dictionary<IntakeItem, string> failed, Dictionary<IntakeItem, List<string>> threadsOf)
    {
        try
        {
            IngestMessages(items, failed);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or UnauthorizedAccessException))
        {
            // Threading the batch as a whole failed (e.g. a header no normalizer accepts): each item alone, so only the bad one fails.
            LogBatchIngestFailed(logger, ex);
            foreach (var item in items.Where(i => !failed.ContainsKey(i)))
            {
                try
                {
                    IngestMessages([item], failed);
                }
                catch (Exception itemEx) when (itemEx is not (OperationCanceledException or IOException or UnauthorizedAccessException))
                {
                    failed[item] = Reason(itemEx);
                }
            }
        }

        var work = new List<ThreadWork>();
        foreach (var item in items.Where(i => !failed.ContainsKey(i)))
        {
            var threads = new List<string>();
            threadsOf[item] = threads;
            if (item.Content.Transcript is { } transcript)
            {
                var id = "transcript:" + item.Key;
                threads.Add(id);
                work.Add(new ThreadWork(id, transcript, item.SourceRef));
                continue;
            }

            foreach (var message in item.Content.Messages)
            {
                if (IsOurDraft(item, message))
                {
                    LogOurDraftSkipped(logger, item.Name);
                    continue;
                }

                if (ledger.ThreadOfMessage(message.MessageId) is { } threadId)
                {
                    // Proven after it was first seen (a Gmail "All Mail" copy read before the Sent one): its thread is
                    // written again, with it as the user's.
                    MarkOwn(item, message);
                    if (!threads.Contains(threadId))
                    {
                        threads.Add(threadId);
                    }
                }
            }
        }

        work.AddRange(threadsOf.Where(p => !failed.ContainsKey(p.Key)).SelectMany(p => p.Value)
            .Where(id => !id.StartsWith("transcript:", StringComparison.Ordinal)).Distinct().Select(id => new ThreadWork(id)));
        return work;
    }

    private void IngestMessages(IReadOnlyList<IntakeItem> items, Dictionary<IntakeItem, string> failed)
    {
        RefreshMessages(items, failed);
        var fresh = items.SelectMany(i => i.Content.Messages.Where(m => !IsOurDraft(i, m)))
            .DistinctBy(m => m.MessageId)
            .Where(m => ledger.ThreadOfMessage(m.MessageId) is null)
            .ToList();
        var groups = ThreadGrouper.Group(fresh, ledger.ThreadOfMessage, s => ledger.ThreadOfSubject(s));

        // Every source copy's claim in one commit, then the copies one at a time, then their hashes and the messages
        // in one commit: a crash before the last commit leaves claims without hashes, which the rerun reuses.
        var claimed = new List<(EmailMessage Message, string ThreadId, string Path)>();
        files.InOneCommit(() =>
        {
            foreach (var group in groups)
            {
                foreach (var message in group.Messages)
                {
                    Isolated(items, message, failed, () =>
                    {
                        var folder = layout.Absolute(SourceCopy.YearFolder(message, layout.Relative(layout.Sources)));
                        claimed.Add((message, group.ThreadId, files.Claim("source:" + message.MessageId, "source", folder, SourceCopy.Stem(message), ".md")));
                    });
                }
            }
        });

        var written = new List<(EmailMessage Message, string ThreadId, string Path, string Sha256)>();
        foreach (var (message, threadId, path) in claimed)
        {
            Isolated(items, message, failed, () => written.Add((message, threadId, path, files.WriteUnrecorded(path, SourceCopy.Render(message)))));
        }

        files.Record(
            written.Select(w => (w.Path, w.Sha256)).ToList(),
            () => written.ForEach(w => ledger.AddMessage(w.Message, w.ThreadId, SubjectNormalizer.Normalize(w.Message.Subject), w.Path, time.GetUtcNow())));
    }

    private static bool IsOurDraft(IntakeItem item, EmailMessage message) =>
        item.Origin != MailOrigin.Sent && OwnMail.IsOurDraftId(message.MessageId);

    private void MarkOwn(IntakeItem item, EmailMessage message)
    {
        var settings = me.Value;
        if (OwnMail.Proof(message, item.Origin, settings.IsMe, settings.Email, settings.TrustedAuthServId) is { } proof
            && ledger.MarkOwn(message.MessageId, proof, time.GetUtcNow()))
        {
            LogOwnMessage(logger, item.Name, proof);
        }
    }

    /// <summary>Runs one message's part; when it breaks, only the items holding this message fail, the rest of its thread goes on.</summary>
    private static void Isolated(IReadOnlyList<IntakeItem> items, EmailMessage message, Dictionary<IntakeItem, string> failed, Action work)
    {
        try
        {
            work();
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException))
        {
            foreach (var item in items.Where(i => i.Content.Messages.Any(m => m.MessageId == message.MessageId)))
            {
                failed.TryAdd(item, Reason(ex));
            }
        }
    }

    /// <summary>
    /// A file that grew after it was read is read again: its messages already known from the first, partial read get
    /// their source copy and stored text replaced, and their threads are written again with the whole message.
    /// </summary>
    private void RefreshMessages(IReadOnlyList<IntakeItem> items, Dictionary<IntakeItem, string> failed)
    {
        foreach (var item in items.Where(i => i.Refreshes.Count > 0))
        {
            foreach (var message in item.Content.Messages.Where(m => item.Refreshes.Contains(m.MessageId) && ledger.ThreadOfMessage(m.MessageId) is not null))
            {
                try
                {
                    var folder = layout.Absolute(SourceCopy.YearFolder(message, layout.Relative(layout.Sources)));
                    var path = files.Claim("source:" + message.MessageId, "source", folder, SourceCopy.Stem(message), ".md");
                    files.Write(path, SourceCopy.Render(message), () => ledger.RefreshMessage(message));
                    LogRefreshed(logger, item.Name);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or IOException or UnauthorizedAccessException))
                {
                    failed.TryAdd(item, Reason(ex));
                }
            }
        }
    }

    private static string Reason(Exception ex) =>
        $"ReplyDrafter could not file a message of this item ({ex.GetType().Name}: {ex.Message}).";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} grew after it was read; its message is brought up to date")]
    private static partial void LogRefreshed(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name} holds a draft ReplyDrafter made: skipped, our drafts are never input")]
    private static partial void LogOurDraftSkipped(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Name} is your own message (proven by: {Proof})")]
    private static partial void LogOwnMessage(ILogger logger, string name, string proof);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Threading the batch failed; ingesting item by item")]
    private static partial void LogBatchIngestFailed(ILogger logger, Exception exception);
}
