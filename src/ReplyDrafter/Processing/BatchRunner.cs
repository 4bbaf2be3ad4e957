using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Processing;

/// <summary>What became of one batch.</summary>
/// <param name="Paused">True when the LLM refused for a reason retrying cannot fix (auth, quota, missing deployment).</param>
internal sealed record BatchOutcome(int Done, int Failed, int Waiting, string? WaitingReason, bool Paused = false);

/// <summary>
/// Takes a batch of items from any source to the vault: ingest the messages, bring each touched thread up to date in
/// parallel, and settle each item as soon as its threads are done. Order matters for crash safety: outputs are renamed
/// into place before the ledger records them, the ledger records the item before its source moves it.
/// </summary>
internal sealed partial class BatchRunner(
    Ledger.VaultLedger ledger,
    MessageIngest ingest,
    ThreadProcessor threads,
    PeopleCache people,
    IOptions<LlmOptions> llmOptions,
    TimeProvider time,
    ILogger<BatchRunner> logger,
    ReplyDrafterTelemetry? telemetry = null) : IDisposable
{
    // The inbox folder and the IMAP mailbox feed batches side by side, so a hung model call costs only its own thread;
    // the gate keeps a message arriving both ways, or two items of one thread, from being ingested or drafted twice at once.
    private readonly ThreadGate _gate = new(llmOptions.Value.MaxConcurrency);

    public void Dispose() => _gate.Dispose();

    /// <param name="progress">Fraction of the batch's threads done, 0 to 1.</param>
    /// <param name="stopTaking">Cancelled at shutdown: no new thread starts, running ones may finish.</param>
    /// <param name="cancellationToken">Cancelled when the shutdown grace is over: running work is abandoned and redone next start.</param>
    public async Task<BatchOutcome> ProcessAsync(
        IReadOnlyList<IntakeItem> items, IProgress<double>? progress, CancellationToken stopTaking, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return new BatchOutcome(0, 0, 0, null);
        }

        var batchStarted = time.GetUtcNow();
        var failedIngest = new Dictionary<IntakeItem, string>();
        var threadsOf = new Dictionary<IntakeItem, List<string>>();
        var work = _gate.Ingest(() => ingest.Ingest(items, failedIngest, threadsOf));
        var settled = new Dictionary<IntakeItem, ThreadStatus>();
        foreach (var (item, reason) in failedIngest)
        {
            settled[item] = Fail(item, reason, batchStarted);
        }

        var pending = items.Where(i => !settled.ContainsKey(i)).ToList();
        var byThread = pending.SelectMany(i => threadsOf[i].Select(t => (Thread: t, Item: i))).ToLookup(p => p.Thread, p => p.Item);

        // An item is settled as soon as all its threads are done, not when the whole batch is.
        var results = await RunThreadsAsync(work, people.Current, progress, (threadId, results) =>
        {
            lock (settled)
            {
                foreach (var item in byThread[threadId].Where(i => !settled.ContainsKey(i) && threadsOf[i].All(results.ContainsKey)))
                {
                    settled[item] = Settle(item, threadsOf[item], results, batchStarted);
                }
            }
        }, stopTaking, cancellationToken);

        foreach (var item in pending.Where(i => !settled.ContainsKey(i)))
        {
            settled[item] = Settle(item, threadsOf[item], results, batchStarted);
        }

        foreach (var group in settled.Where(s => s.Value == ThreadStatus.Waiting).GroupBy(s => SourceLabel(s.Key)))
        {
            telemetry?.ItemsWaiting(group.Count(), group.Key);
        }

        var waitingReason = pending.SelectMany(i => threadsOf[i]).Select(results.GetValueOrDefault).FirstOrDefault(r => r?.Status == ThreadStatus.Waiting)?.Reason;
        return new BatchOutcome(
            settled.Values.Count(s => s == ThreadStatus.Done),
            settled.Values.Count(s => s == ThreadStatus.Failed),
            settled.Values.Count(s => s == ThreadStatus.Waiting),
            waitingReason,
            results.Values.Any(r => r.Failure == LlmFailureKind.Paused));
    }

    /// <summary>Completes an item whose threads are all done, fails one with a failed thread; the rest wait in their source.</summary>
    private ThreadStatus Settle(IntakeItem item, List<string> threadIds, IReadOnlyDictionary<string, ThreadResult> results, DateTimeOffset batchStarted)
    {
        var outcomes = threadIds.Select(results.GetValueOrDefault).ToList();
        if (outcomes.All(r => r?.Status == ThreadStatus.Done))
        {
            using var span = StartItemSpan(item, batchStarted);
            ledger.SetItem(item.Key, item.Name, ItemStates.Done, null, time.GetUtcNow());
            Tell(item, () => item.Source.Complete(item));
            telemetry?.ItemDone(SourceLabel(item));
            return ThreadStatus.Done;
        }

        if (outcomes.FirstOrDefault(r => r?.Status == ThreadStatus.Failed) is { } failure)
        {
            return Fail(item, failure.Reason ?? "The model could not process this item.", batchStarted);
        }

        return ThreadStatus.Waiting;
    }

    private ThreadStatus Fail(IntakeItem item, string reason, DateTimeOffset batchStarted)
    {
        using var span = StartItemSpan(item, batchStarted);
        telemetry?.ItemFailed(reason, SourceLabel(item));
        LogFailed(logger, item.Name, reason);
        ledger.SetItem(item.Key, item.Name, ItemStates.Failed, reason, time.GetUtcNow());
        Tell(item, () => item.Source.Fail(item, reason));
        return ThreadStatus.Failed;
    }

    /// <summary>An item's span runs from the batch's start (its threads ran in parallel with others) to its settling.</summary>
    private System.Diagnostics.Activity? StartItemSpan(IntakeItem item, DateTimeOffset batchStarted)
    {
        var span = telemetry?.StartItem(item.Name, SourceLabel(item));
        span?.SetStartTime(batchStarted.UtcDateTime);
        return span;
    }

    private static string SourceLabel(IntakeItem item) => item.Key.StartsWith("imap:", StringComparison.Ordinal) ? "imap" : "folder";

    /// <summary>The ledger already holds the item's state: a source that cannot move it now catches up when it sees the item again.</summary>
    private void Tell(IntakeItem item, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSettleFailed(logger, item.Name, ex.Message);
        }
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
        var results = new ConcurrentDictionary<string, ThreadResult>();
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

                var result = await _gate.RunThreadAsync(thread.ThreadId, () => threads.ProcessAsync(thread, people, ct), ct);
                results[thread.ThreadId] = result;
                threadDone(thread.ThreadId, results);
                progress?.Report((double)Interlocked.Increment(ref finished) / work.Count);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {Name}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thread {ThreadId} failed: {Reason}")]
    private static partial void LogThreadFailed(ILogger logger, string threadId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} is recorded, but its source could not put it away ({Reason}); it is put away when seen again")]
    private static partial void LogSettleFailed(ILogger logger, string name, string reason);
}
