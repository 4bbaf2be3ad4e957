using Microsoft.Extensions.Logging;

namespace ReplyDrafter.Imap;

/// <summary>IMAP log lines. Never a password, never a message body.</summary>
internal static partial class ImapLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "{Reason} The IMAP source is stopped; the folder pipeline keeps running.")]
    public static partial void LoginFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "IMAP connection to {Server} lost ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger logger, string server, string reason, long delayMs);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "IMAP connected to {Server}; watching {Folders} ({Mode})")]
    public static partial void Connected(ILogger logger, string server, string folders, string mode);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "IMAP folder {Folder} changed UIDVALIDITY ({Old} -> {New}); rescanning the Since window, duplicates are dropped by Message-ID")]
    public static partial void UidValidityChanged(ILogger logger, string folder, uint old, uint @new);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Warning, Message = "IMAP folder {Folder} (ReplyDrafter:Imap:Folders) does not exist on the server; it is skipped")]
    public static partial void FolderMissing(ILogger logger, string folder);

    [LoggerMessage(EventId = 1520, Level = LogLevel.Error, Message = "IMAP folder {Folder} in ReplyDrafter:Imap:Folders is the server's Drafts folder: it is not read (ReplyDrafter's own drafts are never input); remove it from ReplyDrafter:Imap:Folders")]
    public static partial void DraftsFolderWatched(ILogger logger, string folder);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Debug, Message = "IMAP {Folder}: {Count} message(s) to read after UID {LastUid}")]
    public static partial void CatchingUp(ILogger logger, string folder, int count, uint lastUid);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "No IMAP Drafts folder: ReplyDrafter:Imap:DraftsFolder is empty and the server marks no folder as Drafts (SPECIAL-USE); drafts go to Outbox/ only")]
    public static partial void NoDraftsFolder(ILogger logger);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "IMAP draft {MessageId} {Outcome} in {Folder}; older untouched draft replaced: {Replaced}")]
    public static partial void DraftWritten(ILogger logger, string messageId, DraftAppendOutcome outcome, string folder, bool replaced);

    [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "IMAP draft {MessageId} was edited, moved or deleted by the user; left alone")]
    public static partial void DraftLeftAlone(ILogger logger, string messageId);
}
