using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>What became of one batch.</summary>
/// <param name="Paused">True when the LLM refused for a reason retrying cannot fix (auth, quota, missing deployment).</param>
internal sealed record BatchOutcome(int Done, int Failed, int Waiting, string? WaitingReason, bool Paused = false);

/// <summary>
/// Takes a batch of inbox files to the vault: parse, copy each new message to Sources/, group into threads, write
/// notes and drafts, then archive each item whose threads are all done. Order matters for crash safety: outputs are
/// renamed into place before the ledger records them, and an item moves to the archive last.
/// </summary>
internal sealed partial class InboxProcessor(
    Ledger.Ledger ledger,
    OwnedFiles files,
    VaultLayout layout,
    ThreadProcessor threads,
    IOptions<InboxOptions> inboxOptions,
    IOptions<LlmOptions> llmOptions,
    TimeProvider time,
    ILogger<InboxProcessor> logger)
{
    /// <param name="moveItems">False for <c>process FILE...</c>: the files are processed where they are and left there.</param>
    /// <param name="stopTaking">Cancelled at shutdown: no new thread starts, running ones may finish.</param>
    /// <param name="cancellationToken">Cancelled when the shutdown grace is over: running work is abandoned and redone next start.</param>
    public async Task<BatchOutcome> ProcessAsync(
        IReadOnlyList<string> paths, bool moveItems, IProgress<double>? progress, CancellationToken stopTaking, CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        var failed = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (item, itemFailed) = Read(paths[i], moveItems);
            if (item is not null)
            {
                items.Add(item);
            }
            else if (itemFailed)
            {
                failed++;
            }

            // Reading is the quick tenth of the work; the LLM calls are the rest.
            progress?.Report(0.1 * (i + 1) / paths.Count);
        }

        if (items.Count == 0)
        {
            return new BatchOutcome(0, failed, 0, null);
        }

        var work = Ingest(items);
        var people = PeopleDirectory.Load(layout.Root, layout.OwnFolders);
        var settled = new Dictionary<Item, ThreadStatus>();
        var byThread = items.SelectMany(i => i.ThreadIds.Select(t => (Thread: t, Item: i))).ToLookup(p => p.Thread, p => p.Item);

        // An item is archived as soon as all its threads are done, not when the whole batch is.
        var results = await RunThreadsAsync(work, people, progress, (threadId, results) =>
        {
            lock (settled)
            {
                foreach (var item in byThread[threadId].Where(i => !settled.ContainsKey(i) && i.ThreadIds.All(results.ContainsKey)))
                {
                    settled[item] = Settle(item, results, moveItems);
                }
            }
        }, stopTaking, cancellationToken);

        foreach (var item in items.Where(i => !settled.ContainsKey(i)))
        {
            settled[item] = Settle(item, results, moveItems);
        }

        var waitingReason = items.SelectMany(i => i.ThreadIds).Select(results.GetValueOrDefault).FirstOrDefault(r => r?.Status == ThreadStatus.Waiting)?.Reason;
        return new BatchOutcome(
            settled.Values.Count(s => s == ThreadStatus.Done),
            failed + settled.Values.Count(s => s == ThreadStatus.Failed),
            settled.Values.Count(s => s == ThreadStatus.Waiting),
            waitingReason,
            results.Values.Any(r => r.Failure == LlmFailureKind.Paused));
    }

    /// <summary>Archives an item whose threads are all done, fails one with a failed thread; the rest wait in the inbox.</summary>
    private ThreadStatus Settle(Item item, IReadOnlyDictionary<string, ThreadResult> results, bool moveItems)
    {
        var outcomes = item.ThreadIds.Select(results.GetValueOrDefault).ToList();
        if (outcomes.All(r => r?.Status == ThreadStatus.Done))
        {
            ledger.SetItem(item.Hash, Path.GetFileName(item.Path), ItemStates.Done, null, time.GetUtcNow());
            if (moveItems)
            {
                MoveToArchive(item.Path, item.ArchivePath);
            }

            return ThreadStatus.Done;
        }

        if (outcomes.FirstOrDefault(r => r?.Status == ThreadStatus.Failed) is { } failure)
        {
            Fail(item.Path, item.Hash, failure.Reason ?? "The model could not process this item.", moveItems);
            return ThreadStatus.Failed;
        }

        return ThreadStatus.Waiting;
    }

    /// <summary>An item to process; or none, with <c>Failed</c> saying whether it failed or needed nothing (gone, processed before).</summary>
    private (Item? Item, bool Failed) Read(string path, bool moveItems)
    {
        if (!File.Exists(path))
        {
            return (null, false);
        }

        string hash;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > inboxOptions.Value.MaxItemBytes)
            {
                Fail(path, null, $"The file is {info.Length / (1024 * 1024)} MB, more than the {inboxOptions.Value.MaxItemBytes / (1024 * 1024)} MB limit (ReplyDrafter:Inbox:MaxItemBytes).", moveItems);
                return (null, true);
            }

            hash = Hashing.Sha256File(path);
        }
        catch (IOException ex)
        {
            LogUnreadable(logger, path, ex.Message);
            return (null, false);
        }

        if (ledger.FindItem(hash) is { State: ItemStates.Done })
        {
            // Processed before (a crash came between the ledger and the archive move, or the same file came again).
            if (moveItems)
            {
                MoveToArchive(path, UniqueIn(layout.ArchiveFor(Today()), Path.GetFileName(path)));
            }

            LogAlreadyDone(logger, path);
            return (null, false);
        }

        try
        {
            var content = InboxItemReader.Read(path, CancellationToken.None);
            var archivePath = moveItems ? UniqueIn(layout.ArchiveFor(Today()), Path.GetFileName(path)) : path;
            return (new Item(path, hash, content, archivePath), false);
        }
        catch (UnreadableItemException ex)
        {
            Fail(path, hash, ex.Message, moveItems);
            return (null, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The console is the user's: the stack trace goes to the debug log only, the reason to the error file.
            LogReadCrashed(logger, path, ex.GetType().Name);
            LogReadCrashedDetail(logger, ex, path);
            Fail(path, hash, "ReplyDrafter could not read this file: " + ex.Message, moveItems);
            return (null, true);
        }
    }

    /// <summary>Copies new messages to Sources/ and records them with their thread; returns the threads to bring up to date.</summary>
    private List<ThreadWork> Ingest(List<Item> items)
    {
        var fresh = items.SelectMany(i => i.Content.Messages)
            .DistinctBy(m => m.MessageId)
            .Where(m => ledger.ThreadOfMessage(m.MessageId) is null)
            .ToList();
        var groups = ThreadGrouper.Group(fresh, ledger.ThreadOfMessage, s => ledger.ThreadOfSubject(s));
        foreach (var group in groups)
        {
            foreach (var message in group.Messages)
            {
                var folder = layout.Absolute(SourceCopy.YearFolder(message, layout.Relative(layout.Sources)));
                var path = files.Claim("source:" + message.MessageId, "source", folder, SourceCopy.Stem(message), ".md");
                files.Write(path, SourceCopy.Render(message));
                ledger.AddMessage(message, group.ThreadId, SubjectNormalizer.Normalize(message.Subject), path, time.GetUtcNow());
            }
        }

        var work = new List<ThreadWork>();
        foreach (var item in items)
        {
            if (item.Content.Transcript is { } transcript)
            {
                var id = "transcript:" + item.Hash;
                item.ThreadIds.Add(id);
                work.Add(new ThreadWork(id, transcript, layout.Relative(item.ArchivePath)));
                continue;
            }

            foreach (var message in item.Content.Messages)
            {
                if (ledger.ThreadOfMessage(message.MessageId) is { } threadId && !item.ThreadIds.Contains(threadId))
                {
                    item.ThreadIds.Add(threadId);
                }
            }
        }

        work.AddRange(items.SelectMany(i => i.ThreadIds).Where(id => !id.StartsWith("transcript:", StringComparison.Ordinal)).Distinct().Select(id => new ThreadWork(id)));
        return work;
    }

    private async Task<IReadOnlyDictionary<string, ThreadResult>> RunThreadsAsync(
        List<ThreadWork> work,
        PeopleDirectory people,
        IProgress<double>? progress,
        Action<string, IReadOnlyDictionary<string, ThreadResult>> threadDone,
        CancellationToken stopTaking,
        CancellationToken cancellationToken)
    {
        var finished = 0;
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, ThreadResult>();
        var stalled = 0;
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, llmOptions.Value.MaxConcurrency), CancellationToken = cancellationToken },
            async (thread, ct) =>
            {
                // Once the LLM is known to be down, the rest wait without each spending its own retry budget.
                if (Volatile.Read(ref stalled) != 0 || stopTaking.IsCancellationRequested)
                {
                    return;
                }

                var result = await threads.ProcessAsync(thread, people, ct);
                results[thread.ThreadId] = result;
                threadDone(thread.ThreadId, results);
                progress?.Report(0.1 + (0.9 * Interlocked.Increment(ref finished) / work.Count));
                if (result.Status == ThreadStatus.Waiting)
                {
                    Interlocked.Exchange(ref stalled, 1);
                }
                else if (result.Status == ThreadStatus.Failed)
                {
                    LogThreadFailed(logger, thread.ThreadId, result.Reason ?? "");
                }
            });
        return results;
    }

    private void MoveToArchive(string path, string archivePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(archivePath)!);
        File.Move(path, archivePath);
        LogArchived(logger, path, archivePath);
    }

    /// <summary>Moves the item to Inbox/_failed/ with NAME.error.md saying why, in words.</summary>
    private void Fail(string path, string? hash, string reason, bool moveItems)
    {
        LogFailed(logger, Path.GetFileName(path), reason);
        if (hash is not null)
        {
            ledger.SetItem(hash, Path.GetFileName(path), ItemStates.Failed, reason, time.GetUtcNow());
        }

        if (!moveItems)
        {
            return;
        }

        var target = UniqueIn(layout.Failed, Path.GetFileName(path));
        var explanation = $"""
            # Why {Path.GetFileName(target)} was not processed

            {reason}

            - Failed at: {time.GetLocalNow():yyyy-MM-dd HH:mm:ss zzz}
            - Original name: {Path.GetFileName(path)}

            Nothing else was affected. To try again, fix what is described above and move the file back into the inbox
            folder.
            """;
        AtomicFile.WriteAllText(target + ".error.md", explanation.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.Move(path, target);
    }

    /// <summary>
    /// The name unchanged, or with a numeric suffix on a clash. Only the item decides whether a name is taken: an
    /// explanation without its item is what a crash between writing <c>NAME.error.md</c> and moving the item leaves
    /// (or the user took the item back to retry it), and it is rewritten rather than pushing the item to <c>NAME-2</c>.
    /// </summary>
    private static string UniqueIn(string folder, string fileName) =>
        VaultPath.Unique(folder, Path.GetFileNameWithoutExtension(fileName), Path.GetExtension(fileName), maxStemLength: int.MaxValue);

    private DateOnly Today() => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    private sealed record Item(string Path, string Hash, InboxItemContent Content, string ArchivePath)
    {
        public List<string> ThreadIds { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived {Path} to {Archive}")]
    private static partial void LogArchived(ILogger logger, string path, string archive);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} was processed before; moved to the archive")]
    private static partial void LogAlreadyDone(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {Name}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId} failed: {Reason}")]
    private static partial void LogThreadFailed(ILogger logger, string threadId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not open {Path} yet: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {Path} failed unexpectedly ({ExceptionType}); the item goes to the failed folder")]
    private static partial void LogReadCrashed(ILogger logger, string path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading {Path} failed unexpectedly")]
    private static partial void LogReadCrashedDetail(ILogger logger, Exception exception, string path);
}
