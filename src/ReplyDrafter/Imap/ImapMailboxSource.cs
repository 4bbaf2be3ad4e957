using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using ReplyDrafter.Processing;

namespace ReplyDrafter.Imap;

/// <summary>
/// Reads the watched folders (read-only, BODY.PEEK: nothing is marked read or moved) and hands new messages to a
/// consumer in batches (bounded in count and bytes) that it processes in parallel; the folder's state advances only to
/// the highest UID below which every message is settled, so a crash re-delivers only the unsettled ones (the pipeline
/// drops settled duplicates by their ledger key). Watches with IDLE where the server has it, polls otherwise, and
/// survives any drop of the connection with capped, jittered backoff.
/// </summary>
internal sealed class ImapMailboxSource(
    ImapConnector connector,
    ImapStateStore store,
    ImapConnectionState state,
    TimeProvider time,
    ILogger<ImapMailboxSource> logger,
    ImapSizeLimit? sizeLimit = null)
{
    /// <summary>
    /// How long one IDLE lasts before it is ended and issued again. RFC 2177 asks for less than 29 minutes; ending it
    /// every few minutes also shows whether the server still answers: one that went silent (stopped, not closed, or a NAT
    /// that forgot the connection) is noticed within this plus ImapClient.Timeout, and the watch reconnects.
    /// </summary>
    internal static readonly TimeSpan IdleRefresh = TimeSpan.FromMinutes(5);

    // A batch is what the model works on in parallel; bounded so a first catch-up of a busy week holds little in memory
    // and its first drafts come early.
    internal const int BatchMessages = 64;
    internal const long BatchBytes = 32L * 1024 * 1024;

    // A batch whose model call hangs must not hold back later mail: the source goes on fetching beside it, up to this
    // many batches out with the consumer.
    internal const int MaxBatchesOut = 4;

    private readonly ImapOptions _settings = connector.Options;
    private readonly HashSet<string> _missingFolders = new(StringComparer.Ordinal);
    private readonly Lock _wakeGate = new();
    private bool _wakeRequested;
    private CancellationTokenSource? _idling;

    // Touched by the main watch loop only (the batches settle through SettledUids, which locks).
    private readonly Dictionary<string, SettledUids> _settling = new(StringComparer.Ordinal);
    private readonly List<Task> _out = [];

    public ImapConnectionState State => state;

    /// <summary>
    /// Watches until <paramref name="cancellationToken"/> ends it, or until a login failure only the user can fix
    /// (then <see cref="State"/> says why and this returns). Never throws for a network error.
    /// </summary>
    public Task RunAsync(ImapBatchConsumer consumer, CancellationToken cancellationToken) =>
        RunAsync(consumer, null, cancellationToken);

    /// <param name="caughtUp">Runs after each catch-up on a live connection (e.g. appending drafts that waited for the server).</param>
    public async Task RunAsync(ImapBatchConsumer consumer, Func<CancellationToken, Task>? caughtUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        int failures = 0;
        bool connected = false;
        // Network loss, BYE, a server restart, a timeout, or a consumer failure: all are retried the same way; a login
        // failure only the user can fix, and stopping, are not.
        var reconnect = WaitPipelines.Create<bool>(
            time,
            (outcome, _) => outcome.Exception is null or ImapLoginException || cancellationToken.IsCancellationRequested
                ? null
                : WaitPipelines.ReconnectDelay(failures, _settings.ReconnectDelay, _settings.ReconnectMaxDelay),
            (outcome, delay) =>
            {
                failures++;
                string reason = Reason(outcome.Exception!);
                if (connected)
                {
                    ImapLog.Reconnecting(logger, Server, reason, (long)delay.TotalMilliseconds);
                }
                else
                {
                    // Nothing was lost: the server was not reachable (still down, or not up yet).
                    ImapLog.Unreachable(logger, Server, reason, (long)delay.TotalMilliseconds);
                }

                state.Set(ImapConnectionStatus.Reconnecting, reason, time.GetUtcNow() + delay);
            });
        try
        {
            await reconnect.ExecuteAsync(
                async token =>
                {
                    state.Set(ImapConnectionStatus.Connecting);
                    connected = false;
                    using var client = await connector.ConnectAsync(token);
                    connected = true;
                    await WatchAsync(client, consumer, () => failures = 0, caughtUp, token);
                    return true;
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ImapLoginException e)
        {
            state.Set(e.Failure == ImapLoginFailure.Credentials ? ImapConnectionStatus.AuthFailed : ImapConnectionStatus.Failed, e.Message);
            ImapLog.LoginFailed(logger, e.Message);
            return;
        }
        finally
        {
            // Batches still out finish (or end on the stop) before the source is done.
            await Task.WhenAll(_out).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            _out.Clear();
        }

        state.Set(ImapConnectionStatus.Stopped);
    }

    /// <summary>
    /// One pass over every watched folder, then disconnect (<c>run --once</c>). Login failures throw
    /// <see cref="ImapLoginException"/>; network errors throw as they come. Returns how many messages were handed over.
    /// </summary>
    public async Task<int> CatchUpOnceAsync(ImapBatchConsumer consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        state.Set(ImapConnectionStatus.Connecting);
        try
        {
            using var client = await connector.ConnectAsync(cancellationToken);
            state.Set(ImapConnectionStatus.CatchingUp);
            int count = await CatchUpAsync(client, consumer, cancellationToken);
            try
            {
                await Task.WhenAll(_out);
            }
            finally
            {
                _out.Clear();
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
            state.Set(ImapConnectionStatus.Stopped);
            return count;
        }
        catch (ImapLoginException e)
        {
            state.Set(e.Failure == ImapLoginFailure.Credentials ? ImapConnectionStatus.AuthFailed : ImapConnectionStatus.Failed, e.Message);
            throw;
        }
        catch (Exception e)
        {
            state.Set(ImapConnectionStatus.Failed, Reason(e));
            throw;
        }
    }

    private string Server => $"{_settings.Host.Trim()}:{_settings.EffectivePort}";

    private async Task WatchAsync(
        ImapClient client, ImapBatchConsumer consumer, Action caughtUp, Func<CancellationToken, Task>? afterCatchUp, CancellationToken cancellationToken)
    {
        var folders = _settings.WatchedFolders;
        bool idle = client.Capabilities.HasFlag(ImapCapabilities.Idle);
        bool notify = idle && client.Capabilities.HasFlag(ImapCapabilities.Notify);
        string watching = string.Join(", ", folders);
        ImapLog.Connected(logger, Server, watching, notify ? "IDLE with NOTIFY" : idle ? "IDLE" : "polling");

        // One IDLE watches one folder: without NOTIFY (RFC 5465, which tells one connection about every folder) the
        // user's replies filed into Sent get a second connection, so they are learned within seconds rather than at
        // the next INBOX wake-up (up to 25 minutes later).
        using var sentWatch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? sentWatcher = null;
        if (idle && !notify)
        {
            var sent = await ImapConnector.FindFolderAsync(client, _settings.SentFolder, SpecialFolder.Sent, cancellationToken);
            if (sent is not null && !folders.Contains(sent.FullName, StringComparer.Ordinal))
            {
                sentWatcher = WatchSentAsync(sent.FullName, sentWatch.Token);

                // Lost: once it has ended, the main loop wakes, finds it completed and reconnects both.
                _ = sentWatcher.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }

        try
        {
            await WatchFoldersAsync(client, folders, idle, notify, consumer, caughtUp, afterCatchUp, sentWatcher, cancellationToken);
        }
        finally
        {
            await sentWatch.CancelAsync();
            if (sentWatcher is not null)
            {
                await sentWatcher.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    private async Task WatchFoldersAsync(
        ImapClient client, IReadOnlyList<string> folders, bool idle, bool notify, ImapBatchConsumer consumer, Action caughtUp,
        Func<CancellationToken, Task>? afterCatchUp, Task? sentWatcher, CancellationToken cancellationToken)
    {
        var deleted = new ConcurrentQueue<string>();
        var followed = new HashSet<IMailFolder>();
        string? notified = null;
        if (notify)
        {
            // A watched folder created again (after a deletion) is caught up at once, and followed from then on.
            client.FolderCreated += (_, e) =>
            {
                if (folders.Contains(e.Folder.FullName, StringComparer.Ordinal))
                {
                    Wake();
                }
            };
        }

        while (true)
        {
            if (sentWatcher is { IsCompleted: true })
            {
                await sentWatcher; // the second connection was lost: reconnect both
                throw new ServiceNotConnectedException("The connection watching the Sent folder ended.");
            }

            lock (_wakeGate)
            {
                _wakeRequested = false;
            }

            while (deleted.TryDequeue(out var name))
            {
                // The old position means nothing in a new folder of that name (even one given the same UIDVALIDITY).
                ImapLog.WatchedFolderDeleted(logger, name);
                store.Remove(_settings.Account, name);
                foreach (var key in _settling.Keys.Where(k => k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..] == name).ToList())
                {
                    _settling.Remove(key);
                }
            }

            state.Set(ImapConnectionStatus.CatchingUp);
            await CatchUpAsync(client, consumer, cancellationToken);
            caughtUp();
            if (afterCatchUp is not null)
            {
                await afterCatchUp(cancellationToken);
            }

            if (!idle)
            {
                state.Set(ImapConnectionStatus.Polling);
                await Task.Delay(_settings.PollInterval, time, cancellationToken);
                continue;
            }

            if (notify)
            {
                notified = await NotifyAsync(client, folders, followed, deleted, notified, cancellationToken);
            }

            // One IDLE follows one folder: INBOX where it can (it cannot be deleted or renamed). With NOTIFY the other
            // folders are reported by STATUS (Dovecot fails its sync of a selected folder deleted under the session before
            // it reports the deletion). Without NOTIFY the other watched folders, and a watched folder idled on that is not
            // INBOX (deleted and created again under the session, it is never heard of again), are looked at again every
            // PollInterval: opened by name, a folder created again shows a new UIDVALIDITY and is read from its window.
            string? inbox = folders.FirstOrDefault(IsInbox);
            string idleKey = notify ? inbox ?? "INBOX" : inbox ?? folders[0];
            IMailFolder watched;
            try
            {
                watched = IsInbox(idleKey) ? client.Inbox : await client.GetFolderAsync(idleKey, cancellationToken);
            }
            catch (FolderNotFoundException)
            {
                // Deleted (and said so in the catch-up): wait on INBOX, looking for it every PollInterval.
                (idleKey, watched) = ("INBOX", client.Inbox);
            }

            await watched.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            if (folders.Contains(idleKey, StringComparer.Ordinal) && store.Get(_settings.Account, idleKey) is var saved
                && (saved is null || saved.UidValidity != watched.UidValidity || (watched.UidNext is { } next && next.Id - 1 > Seen(idleKey, saved))))
            {
                continue; // arrived between the catch-up and this SELECT
            }

            bool idleSeesAll = notify || (folders.Count == 1 && folders[0] == idleKey && IsInbox(idleKey));
            var limit = !idleSeesAll && _settings.PollInterval < IdleRefresh ? _settings.PollInterval : IdleRefresh;
            using var done = new CancellationTokenSource(limit, time);
            lock (_wakeGate)
            {
                if (_wakeRequested)
                {
                    continue; // Sent (or, with NOTIFY, any watched folder) changed during the catch-up
                }

                _idling = done;
            }

            void OnArrival(object? sender, EventArgs e) => done.Cancel();
            watched.CountChanged += OnArrival;

            try
            {
                state.Set(ImapConnectionStatus.Idle);
                using (connector.Idling(client, done.Token))
                {
                    await client.IdleAsync(done.Token, cancellationToken);
                }
            }
            finally
            {
                watched.CountChanged -= OnArrival;

                lock (_wakeGate)
                {
                    _idling = null;
                }
            }
        }
    }

    /// <summary>
    /// NOTIFY SET for this connection (RFC 5465): new and expunged messages in every folder read (the watched ones and
    /// Sent) and folders created, deleted or renamed, each of which wakes the loop; a watched folder deleted is queued in
    /// <paramref name="deleted"/>.
    /// </summary>
    /// <remarks>
    /// Set again only when the folders to read changed (one deleted, or created again): Dovecot, told the same NOTIFY SET
    /// a second time in a session, reports new mail in the other folders only at its next 30-second check, so the
    /// user's reply filed into Sent after the first message was learned half a minute late. <paramref name="followed"/>
    /// are hooked once.
    /// </remarks>
    /// <returns>The folders this connection is now told about, for the next call's <paramref name="notified"/>.</returns>
    private async Task<string> NotifyAsync(
        ImapClient client, IReadOnlyList<string> folders, HashSet<IMailFolder> followed, ConcurrentQueue<string> deleted, string? notified,
        CancellationToken cancellationToken)
    {
        var read = new List<(IMailFolder Folder, string Key)>();
        foreach (var name in folders)
        {
            try
            {
                var folder = await client.GetFolderAsync(name, cancellationToken);
                if (!followed.Contains(folder))
                {
                    folder.Deleted += (_, _) =>
                    {
                        deleted.Enqueue(name);
                        Wake();
                    };
                }

                read.Add((folder, name));
            }
            catch (FolderNotFoundException)
            {
                // Logged by the catch-up; its creation is announced (MailboxName) and the next connection follows it.
            }
        }

        var sent = await ImapConnector.FindFolderAsync(client, _settings.SentFolder, SpecialFolder.Sent, cancellationToken);
        if (sent is not null && !read.Any(f => string.Equals(f.Folder.FullName, sent.FullName, StringComparison.Ordinal)))
        {
            read.Add((sent, sent.FullName));
        }

        foreach (var (folder, key) in read.Where(f => followed.Add(f.Folder)))
        {
            // A STATUS for a folder not open (NOTIFY) with mail past our position. Opening and closing a folder in the
            // catch-up changes its UIDNEXT too, to what is already read: that wakes nothing.
            void OnChange(object? sender, EventArgs e)
            {
                if (!folder.IsOpen && folder.UidNext is { } next && (store.Get(_settings.Account, key) is not { } saved || next.Id - 1 > Seen(key, saved)))
                {
                    Wake();
                }
            }

            folder.UidNextChanged += OnChange;
        }

        string now = string.Join('\n', read.Select(f => f.Folder.FullName).Order(StringComparer.Ordinal));
        if (now == notified)
        {
            return now;
        }

        List<ImapEventGroup> groups = [new(ImapMailboxFilter.Selected, [new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge])];
        if (read.Count > 0)
        {
            groups.Add(new(new ImapMailboxFilter.Mailboxes(read.Select(f => f.Folder).ToList()), [new ImapEvent.MessageNew(MessageSummaryItems.None), ImapEvent.MessageExpunge]));
        }

        groups.Add(new(ImapMailboxFilter.Personal, [ImapEvent.MailboxName]));
        await client.NotifyAsync(status: false, groups, cancellationToken);
        return now;
    }

    /// <summary>Ends the main connection's IDLE (or the next one before it starts) so every folder is caught up.</summary>
    private void Wake()
    {
        lock (_wakeGate)
        {
            _wakeRequested = true;
            _idling?.Cancel();
        }
    }

    /// <summary>A second connection idling on Sent: wakes the main loop when the user's reply lands there. Ends (throws) when it is lost.</summary>
    private async Task WatchSentAsync(string name, CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var client = await connector.ConnectAsync(cancellationToken);
        var sent = await client.GetFolderAsync(name, cancellationToken);
        await sent.OpenAsync(FolderAccess.ReadOnly, cancellationToken);

        // Filed between the main connection's catch-up and this SELECT.
        var saved = store.Get(_settings.Account, name);
        if (saved is null || saved.UidValidity != sent.UidValidity || (sent.UidNext is { } next && next.Id - 1 > saved.LastUid))
        {
            Wake();
        }

        while (true)
        {
            bool changed = false;
            using var done = new CancellationTokenSource(IdleRefresh, time);
            void OnChange(object? sender, EventArgs e)
            {
                changed = true;
                done.Cancel();
            }

            sent.CountChanged += OnChange;
            try
            {
                using (connector.Idling(client, done.Token))
                {
                    await client.IdleAsync(done.Token, cancellationToken);
                }
            }
            finally
            {
                sent.CountChanged -= OnChange;
            }

            if (changed)
            {
                Wake();
            }
        }
    }

    private async Task<int> CatchUpAsync(ImapClient client, ImapBatchConsumer consumer, CancellationToken cancellationToken)
    {
        ThrowIfABatchFailed();
        int count = 0;
        var sent = await SentFolderAsync(client, cancellationToken);
        var drafts = await ImapConnector.FindFolderAsync(client, _settings.DraftsFolder, SpecialFolder.Drafts, cancellationToken);
        foreach (var name in _settings.WatchedFolders)
        {
            IMailFolder folder;
            try
            {
                folder = await client.GetFolderAsync(name, cancellationToken);
            }
            catch (FolderNotFoundException)
            {
                if (_missingFolders.Add(name))
                {
                    ImapLog.FolderMissing(logger, name);
                }

                continue;
            }

            if (drafts is not null && string.Equals(folder.FullName, drafts.FullName, StringComparison.Ordinal))
            {
                // The server marks it \Drafts (a configured name is refused at start): our own drafts are never input.
                if (_missingFolders.Add(name))
                {
                    ImapLog.DraftsFolderWatched(logger, name);
                }

                continue;
            }

            _missingFolders.Remove(name); // back: a later deletion is reported again
            bool isSent = sent is not null && string.Equals(folder.FullName, sent.FullName, StringComparison.Ordinal);
            count += await CatchUpFolderAsync(folder, name, isSent, consumer, cancellationToken);
        }

        // The user's own sent mail too: a thread the user answered needs no draft, and learning pairs it with ours.
        if (sent is not null && !_settings.WatchedFolders.Contains(sent.FullName, StringComparer.Ordinal))
        {
            count += await CatchUpFolderAsync(sent, sent.FullName, sent: true, consumer, cancellationToken);
        }

        return count;
    }

    /// <summary>
    /// The configured Sent folder, else the one the server marks <c>\Sent</c>. A configured name the server lacks is
    /// reported once (again after it has been back and gone again), with the folder used instead if there is one.
    /// </summary>
    private async Task<IMailFolder?> SentFolderAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var (sent, missing) = await ImapConnector.LocateFolderAsync(client, _settings.SentFolder, SpecialFolder.Sent, cancellationToken);
        if (missing is null)
        {
            _missingFolders.Remove(_settings.SentFolder?.Trim() ?? "");
        }
        else if (_missingFolders.Add(missing))
        {
            if (sent is null)
            {
                ImapLog.SentFolderNotFound(logger, missing);
            }
            else
            {
                ImapLog.SentFolderFallback(logger, missing, sent.FullName);
            }
        }

        return sent;
    }

    private async Task<int> CatchUpFolderAsync(IMailFolder folder, string name, bool sent, ImapBatchConsumer consumer, CancellationToken cancellationToken)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        uint validity = folder.UidValidity;
        var saved = store.Get(_settings.Account, name);
        uint last;
        DateTimeOffset windowStart;
        IList<IMessageSummary> summaries;
        const MessageSummaryItems Items = MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Size | MessageSummaryItems.Flags;
        if (saved is null || saved.UidValidity != validity)
        {
            if (saved is not null)
            {
                ImapLog.UidValidityChanged(logger, name, saved.UidValidity, validity);
            }

            // SINCE is by day (the server's INTERNALDATE); the exact cut is made on the fetched dates.
            windowStart = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() - _settings.Since).ToUnixTimeSeconds());
            var found = await folder.SearchAsync(SearchQuery.DeliveredAfter(windowStart.UtcDateTime.Date.AddDays(-1)), cancellationToken);
            summaries = found.Count == 0 ? [] : await folder.FetchAsync(found, Items, cancellationToken);
            last = 0;
        }
        else
        {
            last = saved.LastUid;
            windowStart = saved.WindowStart;
            summaries = last == uint.MaxValue
                ? []
                : await folder.FetchAsync(new UniqueIdRange(new UniqueId(validity, last + 1), UniqueId.MaxValue), Items, cancellationToken);
        }

        // Also after a crash halfway through the first window: older mail with a higher UID (an import, a copy) stays unread.
        summaries = summaries.Where(s => s.InternalDate is null || s.InternalDate >= windowStart).ToList();
        // One account of what was handed over per folder (and UIDVALIDITY) for the life of the source: the state read
        // above can be older than it when a held message settled during the fetch, and starting over from that would
        // hand over again what is settled, then save a lower UID over the higher one.
        string key = FolderKey(name, validity);
        if (!_settling.TryGetValue(key, out var settled))
        {
            settled = new SettledUids(last);
            _settling[key] = settled;
        }

        // A message still out with the consumer (its model call may hang) is not handed over again.
        var todo = summaries.Where(s => s.UniqueId.Id > last && settled.IsDue(s.UniqueId.Id)).OrderBy(s => s.UniqueId.Id).ToList();
        ImapLog.CatchingUp(logger, name, todo.Count, last);
        void Save(uint mark) => store.Set(_settings.Account, name, new ImapFolderState(validity, mark, windowStart));
        void Settled(uint uid)
        {
            if (settled.Settle(uid))
            {
                settled.Save(Save);
            }
        }

        var batch = new List<ImapMessage>();
        long batchBytes = 0;
        foreach (var summary in todo)
        {
            if (sizeLimit?.Skip(_settings.Account, name, validity, summary) == true)
            {
                Settled(summary.UniqueId.Id);
                continue;
            }

            // GetMessageAsync fetches BODY.PEEK[]: \Seen is not set.
            var message = await folder.GetMessageAsync(summary.UniqueId, cancellationToken);
            var internalDate = summary.InternalDate ?? time.GetUtcNow();
            // A \Draft message in Sent is someone's unsent draft (or ours), not what the user sent.
            bool fromSent = sent && summary.Flags?.HasFlag(MessageFlags.Draft) != true;
            settled.Open(summary.UniqueId.Id);
            batch.Add(new ImapMessage(_settings.Account, name, validity, summary.UniqueId.Id, internalDate, message) { FromSent = fromSent });
            batchBytes += summary.Size ?? 0;
            if (batch.Count >= BatchMessages || batchBytes >= BatchBytes)
            {
                await HandOverAsync(batch, consumer, settled, Settled, cancellationToken);
                (batch, batchBytes) = ([], 0);
            }
        }

        await HandOverAsync(batch, consumer, settled, Settled, cancellationToken);

        // Everything below UIDNEXT was either read now or lies outside the window: start after it next time (once
        // what is still out has settled).
        if (folder.UidNext is { } next && next.Id > 1)
        {
            settled.LookedUpTo(next.Id - 1);
        }

        settled.Save(Save, force: saved is null || saved.UidValidity != validity || saved.WindowStart != windowStart);

        return todo.Count;
    }

    /// <summary>
    /// Hands a batch to the consumer and returns once it is under way (after waiting for room when
    /// <see cref="MaxBatchesOut"/> are out). A batch that fails gives its unsettled messages back and ends the
    /// connection at the next catch-up, which it wakes.
    /// </summary>
    private async Task HandOverAsync(
        List<ImapMessage> batch, ImapBatchConsumer consumer, SettledUids uids, Action<uint> settled, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        while (_out.Count >= MaxBatchesOut)
        {
            await Task.WhenAny(_out).WaitAsync(cancellationToken);
            ThrowIfABatchFailed();
        }

        _out.Add(RunBatchAsync(batch, consumer, uids, settled, cancellationToken));
    }

    private async Task RunBatchAsync(
        List<ImapMessage> batch, ImapBatchConsumer consumer, SettledUids uids, Action<uint> settled, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await consumer(batch, message => settled(message.Uid), cancellationToken);
            foreach (var message in batch)
            {
                settled(message.Uid);
            }
        }
        catch
        {
            foreach (var message in batch)
            {
                uids.GiveBack(message.Uid);
            }

            Wake();
            throw;
        }
    }

    /// <summary>Drops the batches that finished; one that failed throws here, as it did when the catch-up awaited it.</summary>
    private void ThrowIfABatchFailed()
    {
        foreach (var done in _out.Where(t => t.IsCompleted).ToList())
        {
            _out.Remove(done);
            done.GetAwaiter().GetResult();
        }
    }

    /// <summary>The highest UID of the folder already read (or handed over and still out): mail above it is new.</summary>
    private uint Seen(string name, ImapFolderState saved) =>
        _settling.TryGetValue(FolderKey(name, saved.UidValidity), out var uids) ? Math.Max(saved.LastUid, uids.Handed) : saved.LastUid;

    private static bool IsInbox(string name) => string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase);

    private static string FolderKey(string name, uint validity) => FormattableString.Invariant($"{validity}/{name}");

    private static string Reason(Exception e) => e switch
    {
        ImapProtocolException => "protocol error or BYE: " + e.Message,
        ServiceNotConnectedException => "disconnected",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
