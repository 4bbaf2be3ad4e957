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
internal sealed class ImapDraftWriter(ImapConnector connector, ImapStateStore store, ILogger<ImapDraftWriter> logger) : IDisposable
{
    // One write at a time: two concurrent writes of the same draft could both miss the other's APPEND.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _warnedNoDrafts;

    public void Dispose() => _oneAtATime.Dispose();

    /// <param name="supersedes">Our Message-ID of the thread's previous draft, from the ledger; null for a first draft.</param>
    public async Task<DraftAppendResult> WriteAsync(DraftReply draft, string? supersedes, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await WriteOneAsync(draft, supersedes, cancellationToken);
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
            using var client = await connector.ConnectAsync(cancellationToken);
            var drafts = await ImapConnector.FindFolderAsync(client, connector.Options.DraftsFolder, SpecialFolder.Drafts, cancellationToken);
            var removed = DraftWithdrawal.Gone;
            if (drafts is not null)
            {
                await drafts.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
                removed = await RemoveIfUntouchedAsync(client, drafts, messageId.Trim().TrimStart('<').TrimEnd('>'), cancellationToken);
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
            return removed;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<DraftAppendResult> WriteOneAsync(DraftReply draft, string? supersedes, CancellationToken cancellationToken)
    {
        var message = DraftMessageBuilder.Build(draft, connector.Options.QuoteOriginal);
        string messageId = message.MessageId!;
        using var client = await connector.ConnectAsync(cancellationToken);
        var drafts = await ImapConnector.FindFolderAsync(client, connector.Options.DraftsFolder, SpecialFolder.Drafts, cancellationToken);
        if (drafts is null)
        {
            if (Interlocked.Exchange(ref _warnedNoDrafts, 1) == 0)
            {
                ImapLog.NoDraftsFolder(logger);
            }

            await client.DisconnectAsync(quit: true, cancellationToken);
            return new DraftAppendResult(DraftAppendOutcome.NoDraftsFolder, messageId, null, ReplacedPrevious: false);
        }

        await drafts.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
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
                replaced = await RemoveIfUntouchedAsync(client, drafts, old, cancellationToken) == DraftWithdrawal.Removed;
            }
        }

        ImapLog.DraftWritten(logger, messageId, outcome, drafts.FullName, replaced);
        await client.DisconnectAsync(quit: true, cancellationToken);
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
