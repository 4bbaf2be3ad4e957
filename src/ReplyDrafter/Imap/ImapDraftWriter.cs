using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using ReplyDrafter.Drafts;

namespace ReplyDrafter.Imap;

/// <summary>
/// Appends a draft reply to the Drafts folder exactly once (the Message-ID is looked up before APPEND, so a crash
/// between APPEND and the caller's commit adds no second copy), and removes our older draft of the same thread only
/// while it is untouched: still there, same Message-ID, same body. Anything the user edited, moved or deleted stays.
/// </summary>
/// <remarks>
/// The hash of the body we wrote is kept in imap.db by Message-ID, never in a header of the draft (a client sends the
/// draft's headers on to the recipients); drafts from before carry it in <see cref="DraftMessageBuilder.LegacyBodyHashHeader"/>.
/// </remarks>
internal sealed class ImapDraftWriter(ImapConnector connector, ImapStateStore store, TimeProvider time, ILogger<ImapDraftWriter> logger) : IDisposable
{
    /// <summary>
    /// How long the drafts connection stays open after its last use. Drafts come in bursts (a catch-up, a thread
    /// answered in turn), and a new TLS connection and login per draft cost more than the draft itself; servers log an
    /// idle session out after 30 minutes anyway (RFC 3501), so it is closed well before.
    /// </summary>
    internal static readonly TimeSpan IdleClose = TimeSpan.FromMinutes(5);

    // One write at a time: two concurrent writes of the same draft could both miss the other's APPEND. Also guards the connection.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ImapClient? _client;
    private IMailFolder? _drafts;
    private ITimer? _idleTimer;
    private int _warnedNoDrafts;
    private int _warnedFallback;
    private bool _openedForThisCall;

    /// <summary>The last close of the idle connection (for tests, which wait on it after moving the clock).</summary>
    internal Task IdleClosed { get; private set; } = Task.CompletedTask;

    /// <summary>Whether the long-lived drafts connection is open now.</summary>
    internal bool IsConnected => _client is { IsConnected: true };

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _client?.Dispose();
        _oneAtATime.Dispose();
    }

    /// <summary>
    /// Opens the drafts connection and the Drafts folder before the first draft needs them, so the first reply after a
    /// start does not also wait for a login; a missing Drafts folder is reported at start instead of at the first draft.
    /// Connection problems are left to the mailbox source to report.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await OnConnectionAsync(async ct => await DraftsAsync(ct) is not null, cancellationToken);
        }
        catch (Exception e) when (ImapDraftSink.IsTransport(e))
        {
            // The first draft tries again (and waits in imap.db if it cannot be written).
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <param name="supersedes">Our Message-ID of the thread's previous draft, from imap.db; null for a first draft.</param>
    public async Task<DraftAppendResult> WriteAsync(DraftReply draft, string? supersedes, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await OnConnectionAsync(ct => WriteOneAsync(draft, supersedes, ct), cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Removes our draft <paramref name="messageId"/> while it is untouched; says whether an edited copy stays.</summary>
    public async Task<DraftWithdrawal> WithdrawAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await OnConnectionAsync(
                async ct =>
                {
                    var drafts = await DraftsAsync(ct);
                    return drafts is null
                        ? DraftWithdrawal.Gone
                        : await RemoveIfUntouchedAsync(_client!, drafts, messageId.Trim().TrimStart('<').TrimEnd('>'), ct);
                },
                cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the open connection, or a new one. A reused connection the server has dropped
    /// meanwhile (restart, autologout) gets one fresh connection; the work is safe to repeat, since the Message-ID is
    /// looked up before each APPEND. Called holding <see cref="_oneAtATime"/>.
    /// </summary>
    private async Task<T> OnConnectionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        _idleTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _openedForThisCall = false;
        try
        {
            bool reused = _client is { IsConnected: true, IsAuthenticated: true };
            if (!reused)
            {
                await OpenAsync(cancellationToken);
            }

            try
            {
                return await work(cancellationToken);
            }
            catch (Exception e) when (reused && IsDropped(e))
            {
                await OpenAsync(cancellationToken);
                return await work(cancellationToken);
            }
        }
        catch (ImapCommandException)
        {
            // Refused (quota, a folder deleted meanwhile): the connection is fine, the folder is looked up again.
            _drafts = null;
            throw;
        }
        catch (Exception e) when (IsDropped(e) || e is OperationCanceledException)
        {
            // Half-done commands leave the connection in an unknown state: the next write starts afresh.
            Drop();
            throw;
        }
        finally
        {
            if (_client is not null)
            {
                _idleTimer ??= time.CreateTimer(_ => CloseIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _idleTimer.Change(IdleClose, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        Drop();
        _client = await connector.ConnectAsync(cancellationToken);
        _openedForThisCall = true;
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
        _drafts = null;
    }

    /// <summary>The timer's callback: logs out unless a write holds the connection (it re-arms the timer when it ends).</summary>
    private void CloseIdle()
    {
        if (!_oneAtATime.Wait(0))
        {
            return;
        }

        IdleClosed = CloseIdleAsync();
    }

    private async Task CloseIdleAsync()
    {
        try
        {
            if (_client is { IsConnected: true } client)
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
                await client.DisconnectAsync(quit: true, bound.Token);
            }
        }
        catch (Exception e) when (IsDropped(e) || e is OperationCanceledException)
        {
            // Closing anyway.
        }
        finally
        {
            Drop();
            _oneAtATime.Release();
        }
    }

    /// <summary>The connection itself failed (not a command the server refused): it cannot be used again.</summary>
    private static bool IsDropped(Exception e) =>
        e is IOException or ImapProtocolException or ServiceNotConnectedException or System.Net.Sockets.SocketException;

    /// <summary>
    /// The Drafts folder, opened read-write. A configured name the server does not have falls back to the folder it marks
    /// <c>\Drafts</c>. A connection that finds none asks once more on a fresh one: the server lists its SPECIAL-USE
    /// folders at login, so a folder created since is known only to a new connection.
    /// </summary>
    private async Task<IMailFolder?> DraftsAsync(CancellationToken cancellationToken)
    {
        if (_drafts is { IsOpen: true, Access: FolderAccess.ReadWrite } open)
        {
            return open;
        }

        var found = await ImapConnector.LocateFolderAsync(_client!, connector.Options.DraftsFolder, SpecialFolder.Drafts, cancellationToken);

        // A connection opened for this write already knows the current folders.
        if (found.Folder is null && !_openedForThisCall)
        {
            await OpenAsync(cancellationToken);
            found = await ImapConnector.LocateFolderAsync(_client!, connector.Options.DraftsFolder, SpecialFolder.Drafts, cancellationToken);
        }

        if (found.Folder is null)
        {
            if (Interlocked.Exchange(ref _warnedNoDrafts, 1) == 0)
            {
                if (found.MissingName is { } name)
                {
                    ImapLog.DraftsFolderNotFound(logger, name);
                }
                else
                {
                    ImapLog.NoDraftsFolder(logger);
                }
            }

            return null;
        }

        if (found.MissingName is { } missing && Interlocked.Exchange(ref _warnedFallback, 1) == 0)
        {
            ImapLog.DraftsFolderFallback(logger, missing, found.Folder.FullName);
        }

        _warnedNoDrafts = 0;
        await found.Folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        _drafts = found.Folder;
        return found.Folder;
    }

    private async Task<DraftAppendResult> WriteOneAsync(DraftReply draft, string? supersedes, CancellationToken cancellationToken)
    {
        var message = DraftMessageBuilder.Build(draft, connector.Options.QuoteOriginal);
        string messageId = message.MessageId!;
        var drafts = await DraftsAsync(cancellationToken);
        if (drafts is null)
        {
            return new DraftAppendResult(DraftAppendOutcome.NoDraftsFolder, messageId, null, ReplacedPrevious: false);
        }

        var outcome = DraftAppendOutcome.AlreadyPresent;
        if ((await FindAsync(drafts, messageId, cancellationToken)).Count == 0)
        {
            // Recorded before the APPEND: a crash in between leaves a hash that a later look-up still matches.
            store.SetDraftHash(messageId, DraftMessageBuilder.BodyHash(message.TextBody));
            // \Seen: the user's own draft, not unread mail.
            await drafts.AppendAsync(message, MessageFlags.Draft | MessageFlags.Seen, cancellationToken);
            outcome = DraftAppendOutcome.Appended;
        }

        bool replaced = false;
        if (!string.IsNullOrWhiteSpace(supersedes))
        {
            string old = supersedes.Trim().TrimStart('<').TrimEnd('>');
            if (!string.Equals(old, messageId, StringComparison.Ordinal))
            {
                replaced = await RemoveIfUntouchedAsync(_client!, drafts, old, cancellationToken) == DraftWithdrawal.Removed;
            }
        }

        ImapLog.DraftWritten(logger, messageId, outcome, drafts.FullName, replaced);
        return new DraftAppendResult(outcome, messageId, drafts.FullName, replaced);
    }

    /// <summary>UIDs whose Message-ID is exactly <paramref name="messageId"/> (HEADER search matches substrings).</summary>
    internal static async Task<IList<IMessageSummary>> FindAsync(IMailFolder folder, string messageId, CancellationToken cancellationToken)
    {
        var uids = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken);
        if (uids.Count == 0)
        {
            return [];
        }

        var summaries = await folder.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags, cancellationToken);
        return summaries.Where(s => string.Equals(s.Envelope?.MessageId, messageId, StringComparison.Ordinal)).ToList();
    }

    private async Task<DraftWithdrawal> RemoveIfUntouchedAsync(ImapClient client, IMailFolder drafts, string messageId, CancellationToken cancellationToken)
    {
        var candidates = await FindAsync(drafts, messageId, cancellationToken);
        if (candidates.Count == 0)
        {
            return DraftWithdrawal.Gone;
        }

        var untouched = new List<UniqueId>();
        foreach (var candidate in candidates)
        {
            if (candidate.Flags?.HasFlag(MessageFlags.Draft) != true)
            {
                continue;
            }

            // Some clients keep the Message-ID when saving an edit: the body hash we wrote tells an edit apart.
            var copy = await drafts.GetMessageAsync(candidate.UniqueId, cancellationToken);
            var written = store.GetDraftHash(messageId) ?? copy.Headers[DraftMessageBuilder.LegacyBodyHashHeader];
            if (written is not null && string.Equals(written, DraftMessageBuilder.BodyHash(copy.TextBody), StringComparison.Ordinal))
            {
                untouched.Add(candidate.UniqueId);
            }
        }

        if (untouched.Count == 0)
        {
            ImapLog.DraftLeftAlone(logger, messageId);
            return DraftWithdrawal.KeptEdited;
        }

        await drafts.StoreAsync(untouched, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        if (client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            // UID EXPUNGE removes only these; a plain EXPUNGE could remove what the user marked deleted.
            await drafts.ExpungeAsync(untouched, cancellationToken);
        }

        store.SetDraftHash(messageId, null);
        return DraftWithdrawal.Removed;
    }
}
