using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Processing;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Inbox;

/// <summary>
/// Watches the inbox folder (file watcher plus periodic rescan, since watchers drop events) and hands complete files
/// to the <see cref="BatchRunner"/> through the <see cref="InboxFolderSource"/>. While the LLM is unreachable, items
/// wait in the inbox and are retried.
/// </summary>
internal sealed partial class InboxWorker(
    InboxFolderSource source,
    BatchRunner runner,
    IBatchProgress display,
    VaultLayout layout,
    ILlmClient llm,
    RunRequest request,
    IOptions<InboxOptions> options,
    IOptions<MeOptions> me,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<InboxWorker> logger,
    Hosting.ServiceReadiness? readiness = null,
    Learning.OutcomeTracker? outcomes = null,
    IEnumerable<IOnceSource>? onceSources = null) : BackgroundService
{
    private string? _lastCrash;

    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary><c>run</c>: watches until stopped. A crash ends the worker (faulted) and the host stops with exit code 1.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (request.Mode == RunMode.Daemon && await RunAsync(stoppingToken) != 0)
        {
            throw new InvalidOperationException("The inbox worker stopped on an unexpected error (logged above).");
        }
    }

    /// <summary>
    /// <c>run --once</c> and <c>process FILE...</c>, invoked by the command once the host has started.
    /// </summary>
    /// <returns>0 all succeeded; 1 some items failed, the LLM stayed unreachable or the time limit was reached; 2 a source's login was refused.</returns>
    public Task<int> RunOnceAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        // In-flight work gets a grace period after Ctrl-C / SIGTERM; what is still running then is abandoned and redone next start.
        if (string.IsNullOrWhiteSpace(me.Value.Email))
        {
            LogNoIdentity(logger);
        }

        using var hardStop = new CancellationTokenSource();
        await using var registration = stoppingToken.Register(() =>
        {
            if (request.Mode == RunMode.Daemon)
            {
                LogStopRequested(logger, options.Value.ShutdownGrace);
            }

            hardStop.CancelAfter(options.Value.ShutdownGrace);
        });
        // run --once ends by itself: a hostile server or a model that never finishes cannot keep it running (cron, CI).
        using var onceLimit = request.Mode == RunMode.Once ? new CancellationTokenSource(options.Value.OnceTimeLimit, time) : new CancellationTokenSource();
        using var once = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, onceLimit.Token);
        using var onceHard = CancellationTokenSource.CreateLinkedTokenSource(hardStop.Token, onceLimit.Token);
        int code = 0;
        try
        {
            if (request.Mode == RunMode.Once)
            {
                outcomes?.MarkIgnored();
            }

            code = request.Mode switch
            {
                RunMode.Daemon => await WatchAsync(stoppingToken, hardStop.Token),
                // The folder first, then the other sources (IMAP): a refused IMAP login (exit 2) does not keep the folder from running.
                RunMode.Once => Math.Max(
                    await DrainAsync(InboxItems.List(layout.Inbox).ToList(), moveItems: true, once.Token, onceHard.Token),
                    await RunOtherSourcesOnceAsync(once.Token)),
                _ => await DrainAsync(request.Files, moveItems: false, stoppingToken, hardStop.Token),
            };
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogAbandoned(logger);
        }
        catch (OperationCanceledException) when (onceLimit.IsCancellationRequested)
        {
            // Handled below: what was in flight is redone by the next run.
        }
        catch (Exception ex)
        {
            LogBatchCrashed(logger, ex.Message);
            LogBatchCrashedDetail(logger, ex);
            code = 1;
        }
        finally
        {
            if (onceLimit.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                LogOnceTimeLimit(logger, options.Value.OnceTimeLimit);
                code = Math.Max(code, 1);
            }

            if (request.Mode != RunMode.Daemon)
            {
                lifetime.StopApplication();
            }
        }

        return code;
    }

    private async Task<int> WatchAsync(CancellationToken stopTaking, CancellationToken hardStop)
    {
        var stability = new StabilityTracker(time, options.Value.StableFor, options.Value.RescanInterval);
        using var closeEvents = CreateCloseWatcher(stability);
        using var watcher = closeEvents is null ? CreateWatcher() : null;
        if (await llm.ProbeAsync(stopTaking) is { } unreachable)
        {
            LogLlmDown(logger, unreachable);
        }

        readiness?.MarkReady($"Watching {layout.Inbox}");

        LogWatching(logger, layout.Inbox, options.Value.RescanInterval);
        int retries = 0;
        var retryAt = DateTimeOffset.MinValue;
        var llmDown = false;

        // Batches run side by side: a file that arrives while a model call hangs starts its own batch at once. A file
        // stays out of new batches while one holds it.
        var running = new Dictionary<Task<BatchOutcome?>, IReadOnlyList<string>>();
        try
        {
            while (!stopTaking.IsCancellationRequested)
            {
                readiness?.Ping();

                // Drafts left unanswered past Learning:IgnoredAfter become "ignored" (run --once checks once, at its start).
                outcomes?.MarkIgnored();
                var wait = options.Value.RescanInterval;
                foreach (var finished in running.Keys.Where(t => t.IsCompleted).ToList())
                {
                    running.Remove(finished);
                    if (await finished is not { } outcome)
                    {
                        continue;
                    }

                    LogBatch(logger, outcome.Done, outcome.Failed, outcome.Waiting);
                    readiness?.SetStatus($"Last batch: {outcome.Done} done, {outcome.Failed} failed, {outcome.Waiting} waiting");
                    if (outcome.Waiting > 0)
                    {
                        if (!llmDown || outcome.Paused)
                        {
                            LogWaiting(logger, outcome.Waiting, outcome.WaitingReason ?? "the LLM did not answer");
                        }

                        llmDown = true;
                        retryAt = time.GetUtcNow() + WaitPipelines.LlmRetryDelay(retries, outcome.Paused, options.Value.RescanInterval);
                        retries++;
                    }
                    else
                    {
                        if (llmDown)
                        {
                            LogLlmBack(logger);
                        }

                        (llmDown, retries, retryAt) = (false, 0, DateTimeOffset.MinValue);
                    }
                }

                if (source.TakeGrown() > 0 && closeEvents is null)
                {
                    // A file grew after it was read: look again once it has been quiet (with close events, its close wakes us).
                    wait = options.Value.StableFor;
                }

                var busy = running.Values.SelectMany(paths => paths).ToHashSet(StringComparer.Ordinal);
                var (found, settling) = stability.Check(InboxItems.List(layout.Inbox));
                var ready = found.Where(p => !busy.Contains(p)).ToList();
                if (settling > 0)
                {
                    wait = options.Value.StableFor;
                }

                var now = time.GetUtcNow();
                if (ready.Count > 0 && now >= retryAt)
                {
                    running.Add(TryProcessAsync(ready, stopTaking, hardStop), ready);
                }
                else if (ready.Count > 0 && retryAt - now < wait)
                {
                    wait = retryAt - now;
                }

                await WaitForChangeAsync(wait, settleBurst: closeEvents is null, running.Keys, stopTaking);
            }
        }
        finally
        {
            // In-flight batches finish within the shutdown grace (or are abandoned by the hard stop).
            await Task.WhenAll(running.Keys).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }

        hardStop.ThrowIfCancellationRequested();
        var left = 0;
        foreach (var batch in running.Keys)
        {
            left += (await batch)?.Waiting ?? 0;
        }

        if (left > 0)
        {
            // Items not started because of the stop are not waiting for the LLM: they are simply next start's work.
            LogLeftForNextStart(logger, left);
        }

        return 0;
    }

    /// <summary>
    /// One batch; an unexpected failure (a full disk, a vault folder gone) is logged and retried at the next scan. The
    /// same failure again is logged at Debug only, so a daemon that cannot write does not fill the log every rescan.
    /// </summary>
    private async Task<BatchOutcome?> TryProcessAsync(IReadOnlyList<string> ready, CancellationToken stopTaking, CancellationToken hardStop)
    {
        try
        {
            var outcome = await ProcessAsync(ready, moveItems: true, progress: readiness is null ? null : new Hosting.WatchdogProgress(readiness), stopTaking, hardStop);
            _lastCrash = null;
            return outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (_lastCrash != ex.Message)
            {
                LogBatchCrashed(logger, ex.Message);
            }

            _lastCrash = ex.Message;
            LogBatchCrashedDetail(logger, ex);
            return null;
        }
    }

    /// <summary>Reading is the quick tenth of the work; the LLM calls are the rest.</summary>
    private async Task<BatchOutcome> ProcessAsync(
        IReadOnlyList<string> paths, bool moveItems, IProgress<double>? progress, CancellationToken stopTaking, CancellationToken hardStop)
    {
        var (items, failed) = source.Read(paths, moveItems, progress is null ? null : new Scaled(progress, 0, 0.1), hardStop);
        var outcome = await runner.ProcessAsync(items, progress is null ? null : new Scaled(progress, 0.1, 0.9), stopTaking, hardStop);
        return outcome with { Failed = outcome.Failed + failed };
    }

    /// <summary><c>run --once</c> and <c>process</c>: everything given, retrying an unreachable LLM for a bounded time.</summary>
    private async Task<int> DrainAsync(IReadOnlyList<string> paths, bool moveItems, CancellationToken stopTaking, CancellationToken hardStop)
    {
        var giveUpAt = time.GetUtcNow() + options.Value.OnceLlmWait;
        var failed = 0;
        var pending = paths;
        var pipeline = WaitPipelines.Create<BatchOutcome>(
            time,
            (outcome, retries) =>
            {
                // A pause (quota, billing) outlasts any run --once: it gives up at once.
                if (outcome.Result is not { Waiting: > 0, Paused: false } || stopTaking.IsCancellationRequested)
                {
                    return null;
                }

                var wait = WaitPipelines.LlmRetryDelay(retries, paused: false, options.Value.RescanInterval);
                return time.GetUtcNow() + wait > giveUpAt ? null : wait;
            },
            (outcome, _) => LogWaiting(logger, outcome.Result?.Waiting ?? 0, outcome.Result?.WaitingReason ?? "the LLM did not answer"));
        while (pending.Count > 0)
        {
            var outcome = await pipeline.ExecuteAsync(
                async token =>
                {
                    if (moveItems)
                    {
                        // A file still being written is waited for, as the daemon would.
                        var stability = new StabilityTracker(time, options.Value.StableFor);
                        while (stability.Check(pending).Settling > 0)
                        {
                            await Task.Delay(options.Value.StableFor, time, token);
                        }
                    }

                    var outcome = await display.RunAsync(pending.Count, progress => ProcessAsync(pending, moveItems, progress, stopTaking, hardStop));
                    failed += outcome.Failed;
                    LogBatch(logger, outcome.Done, outcome.Failed, outcome.Waiting);

                    // The next attempt takes what is in the inbox then (the waiting items, and any that arrived).
                    pending = moveItems ? InboxItems.List(layout.Inbox).ToList() : paths;
                    return outcome;
                },
                stopTaking);
            if (outcome.Waiting == 0)
            {
                // A file that grew after it was read is read again in full (once it is quiet), not left half-done.
                if (source.TakeGrown() == 0 || stopTaking.IsCancellationRequested || time.GetUtcNow() > giveUpAt)
                {
                    break;
                }

                continue;
            }

            if (stopTaking.IsCancellationRequested)
            {
                LogLeftForNextStart(logger, outcome.Waiting);
                break;
            }

            LogGaveUp(logger, outcome.Waiting, outcome.WaitingReason ?? "the LLM did not answer");
            return 1;
        }

        return failed > 0 ? 1 : 0;
    }

    /// <summary>Linux: close-write and moved-to events (the inbox and its Sent/ drop folder), so a complete file is taken at once and an open one never.</summary>
    private InotifyWatcher? CreateCloseWatcher(StabilityTracker stability)
    {
        Directory.CreateDirectory(layout.Inbox);
        var watcher = InotifyWatcher.TryStart(layout.Inbox, (path, kind) =>
        {
            stability.Observe(path, kind);
            if (kind != InboxEvent.Writing)
            {
                _changed.Writer.TryWrite(true);
            }
        }, out var error, InboxItems.SentFolder);
        if (error is not null)
        {
            LogWatcherError(logger, error);
        }

        return watcher;
    }

    private async Task<int> RunOtherSourcesOnceAsync(CancellationToken cancellationToken)
    {
        int code = 0;
        foreach (var source in onceSources ?? [])
        {
            code = Math.Max(code, await source.RunOnceAsync(cancellationToken));
        }

        return code;
    }

    private FileSystemWatcher? CreateWatcher()
    {
        try
        {
            Directory.CreateDirectory(layout.Inbox);
            var watcher = new FileSystemWatcher(layout.Inbox)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += (_, _) => _changed.Writer.TryWrite(true);
            watcher.Changed += (_, _) => _changed.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => _changed.Writer.TryWrite(true);
            watcher.Error += (_, e) => LogWatcherError(logger, e.GetException().Message);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // The periodic rescan still finds everything; the watcher only makes it prompt.
            LogWatcherError(logger, ex.Message);
            return null;
        }
    }

    /// <param name="timeout">When to rescan anyway.</param>
    /// <param name="settleBurst">True for FileSystemWatcher's events, which come in bursts; close events are exact.</param>
    /// <param name="running">Batches under way: the end of one wakes the loop too.</param>
    /// <param name="cancellationToken">Stopping.</param>
    private async Task WaitForChangeAsync(TimeSpan timeout, bool settleBurst, IEnumerable<Task> running, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var changed = _changed.Reader.WaitToReadAsync(timeoutSource.Token).AsTask();
        var finished = await Task.WhenAny(running.Append(changed));
        await timeoutSource.CancelAsync();
        if (finished != changed || !_changed.Reader.TryRead(out _))
        {
            // Timed out (rescan now), a batch ended, or stopping (the loop ends): none is an error.
            await changed.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        // A burst of events for one file arrives together; let it settle before rescanning.
        if (settleBurst)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the loop ends.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ReplyDrafter:Me:Email is not set, so your own messages cannot be told apart and drafts are not signed: set ReplyDrafter:Me:Name, Me:Email and Me:Signature")]
    private static partial void LogNoIdentity(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Inbox} (full rescan every {Interval})")]
    private static partial void LogWatching(ILogger logger, string inbox, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "The batch stopped on an unexpected error ({Reason}); its items stay in the inbox and are tried again")]
    private static partial void LogBatchCrashed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The batch stopped on an unexpected error")]
    private static partial void LogBatchCrashedDetail(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch: {Done} done, {Failed} failed, {Waiting} waiting")]
    private static partial void LogBatch(ILogger logger, int done, int failed, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} item(s) wait in the inbox: {Reason}")]
    private static partial void LogWaiting(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The LLM answers again; catching up")]
    private static partial void LogLlmBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason} Items will wait in the inbox until it answers.")]
    private static partial void LogLlmDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up: {Count} item(s) left untouched in the inbox. {Reason}")]
    private static partial void LogGaveUp(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} item(s) stay in the inbox for the next start")]
    private static partial void LogLeftForNextStart(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping (Ctrl-C or SIGTERM): in-flight work may finish for up to {Grace}")]
    private static partial void LogStopRequested(ILogger logger, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped before in-flight work finished; it will be redone on the next start")]
    private static partial void LogAbandoned(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "run --once stopped after its time limit of {Limit} (ReplyDrafter:Inbox:OnceTimeLimit); what was unfinished is done by the next run")]
    private static partial void LogOnceTimeLimit(ILogger logger, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox watcher problem ({Reason}); the periodic rescan goes on")]
    private static partial void LogWatcherError(ILogger logger, string reason);

    private sealed class Scaled(IProgress<double> inner, double start, double share) : IProgress<double>
    {
        public void Report(double value) => inner.Report(start + (share * value));
    }
}
