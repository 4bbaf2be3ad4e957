using Microsoft.Extensions.Logging;

namespace ReplyDrafter.Imap;

/// <summary>IMAP log lines. Never a password, never a message body.</summary>
internal static partial class ImapLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "{Reason} The IMAP source is stopped; the folder pipeline keeps running.")]
    public static partial void LoginFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "IMAP connection to {Server} lost ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string server, string reason, long delayMs);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Warning, Message = "IMAP server {Server} cannot be reached ({Reason}); trying again in {DelayMs} ms")]
    public static partial void Unreachable(ILogger logger, string server, string reason, long delayMs);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "IMAP connected to {Server}; watching {Folders} ({Mode})")]
    public static partial void Connected(ILogger logger, string server, string folders, string mode);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "IMAP folder {Folder} changed UIDVALIDITY ({Old} -> {New}); rescanning the Since window, duplicates are dropped by Message-ID")]
    public static partial void UidValidityChanged(ILogger logger, string folder, uint old, uint @new);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:Folders) does not exist on the server; it is skipped until it does")]
    public static partial void FolderMissing(ILogger logger, string folder);

    [LoggerMessage(EventId = 1520, Level = LogLevel.Error, Message = "IMAP folder {Folder} in ReplyDrafter:Imap:Folders is the server's Drafts folder: it is not read (ReplyDrafter's own drafts are never input); remove it from ReplyDrafter:Imap:Folders")]
    public static partial void DraftsFolderWatched(ILogger logger, string folder);

    [LoggerMessage(EventId = 1522, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:SentFolder) does not exist; your sent mail is read from {Used}, the folder the server marks as Sent (SPECIAL-USE)")]
    public static partial void SentFolderFallback(ILogger logger, string folder, string used);

    [LoggerMessage(EventId = 1523, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:SentFolder) does not exist and the server marks no folder as Sent (SPECIAL-USE); the replies you send are not seen (to learn from them, and to leave threads you answered without a draft) until it does")]
    public static partial void SentFolderNotFound(ILogger logger, string folder);

    [LoggerMessage(EventId = 1521, Level = LogLevel.Warning, Message = "IMAP folder {Folder} was deleted on the server while it was watched; it is opened again (a new folder of that name is read from its Since window)")]
    public static partial void WatchedFolderDeleted(ILogger logger, string folder);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Debug, Message = "IMAP {Folder}: {Count} message(s) to read after UID {LastUid}")]
    public static partial void CatchingUp(ILogger logger, string folder, int count, uint lastUid);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "No IMAP Drafts folder: ReplyDrafter:Imap:DraftsFolder is empty and the server marks no folder as Drafts (SPECIAL-USE); drafts are in Outbox/ and wait in imap.db until the folder exists")]
    public static partial void NoDraftsFolder(ILogger logger);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:DraftsFolder) does not exist and the server marks no folder as Drafts (SPECIAL-USE); drafts are in Outbox/ and wait in imap.db until the folder exists")]
    public static partial void DraftsFolderNotFound(ILogger logger, string folder);

    [LoggerMessage(EventId = 1513, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:DraftsFolder) does not exist; drafts go to {Used}, the folder the server marks as Drafts (SPECIAL-USE)")]
    public static partial void DraftsFolderFallback(ILogger logger, string folder, string used);

    /// <summary>
    /// Says "replaced" only when this write removed our older draft. An older draft superseded by a newer message is
    /// usually withdrawn before the new one is written (<see cref="DraftWithdrawn"/> logs that), so a flag that said
    /// "replaced: False" right after it was replaced read as if nothing had happened.
    /// </summary>
    public static void DraftWritten(ILogger logger, string messageId, DraftAppendOutcome outcome, string folder, bool replaced)
    {
        if (replaced)
        {
            DraftWrittenReplacing(logger, messageId, outcome, folder);
        }
        else
        {
            DraftWrittenAlone(logger, messageId, outcome, folder);
        }
    }

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "IMAP draft {MessageId} {Outcome} in {Folder}")]
    private static partial void DraftWrittenAlone(ILogger logger, string messageId, DraftAppendOutcome outcome, string folder);

    [LoggerMessage(EventId = 1509, Level = LogLevel.Information, Message = "IMAP draft {MessageId} {Outcome} in {Folder}; our older untouched draft of the thread was removed")]
    private static partial void DraftWrittenReplacing(ILogger logger, string messageId, DraftAppendOutcome outcome, string folder);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Information, Message = "IMAP draft {MessageId} superseded (a newer message or your reply); removed from the Drafts folder")]
    public static partial void DraftWithdrawn(ILogger logger, string messageId);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "IMAP draft {MessageId} was edited, moved or deleted by the user; left alone")]
    public static partial void DraftLeftAlone(ILogger logger, string messageId);
}
