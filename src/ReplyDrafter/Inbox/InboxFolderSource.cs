using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Ledger;
using ReplyDrafter.Mail;
using ReplyDrafter.Processing;
using ReplyDrafter.Security;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Inbox;

/// <summary>
/// The inbox folder as a source: checks each file's size, hashes it, skips what the ledger has as done, parses the
/// rest. Done items go to <c>Archive/DATE/</c>, failed ones to <c>_failed/</c> beside <c>NAME.error.md</c> saying why
/// (or stay in place for <c>process FILE...</c>). Each file is handled on its own: one that breaks fails alone.
/// </summary>
internal sealed partial class InboxFolderSource(
    Ledger.VaultLedger ledger,
    VaultLayout layout,
    IOptions<InboxOptions> options,
    TimeProvider time,
    ILogger<InboxFolderSource> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _reported = new(StringComparer.Ordinal);

    // Files that changed after they were read, with the Message-IDs that first read stored: the next read refreshes them.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<string>> _grown = new(StringComparer.Ordinal);

    private int _grownSinceAsked;

    /// <summary>The files as items; <c>Failed</c> counts those that failed on reading (already put aside with their reason).</summary>
    /// <param name="moveItems">False for <c>process FILE...</c>: the files are processed where they are and left there.</param>
    public (IReadOnlyList<IntakeItem> Items, int Failed) Read(IReadOnlyList<string> paths, bool moveItems, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var settler = new Settler(this, moveItems);
        var items = new List<IntakeItem>();
        var failed = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (item, itemFailed) = ReadOne(paths[i], settler);
            if (item is not null)
            {
                items.Add(item);
            }
            else if (itemFailed)
            {
                failed++;
            }

            progress?.Report((double)(i + 1) / paths.Count);
        }

        return (items, failed);
    }

    /// <summary>An item to process; or none, with <c>Failed</c> saying whether it failed or needed nothing (gone, processed before).</summary>
    private (IntakeItem? Item, bool Failed) ReadOne(string path, Settler settler)
    {
        var opened = InboxFile.TryOpen(path);
        if (opened.File is not { } file)
        {
            return Refused(path, opened, settler);
        }

        using (file)
        {
            string hash;
            DateTime modifiedUtc;
            try
            {
                // The size of the file actually opened (never a link's own), so MaxItemBytes holds.
                if (file.Length > options.Value.MaxItemBytes)
                {
                    return (null, settler.FailRead(path, null, $"The file is {file.Length / (1024 * 1024)} MB, more than the {options.Value.MaxItemBytes / (1024 * 1024)} MB limit (ReplyDrafter:Inbox:MaxItemBytes)."));
                }

                modifiedUtc = File.GetLastWriteTimeUtc(file.Stream.SafeFileHandle);
                hash = file.Sha256();
            }
            catch (IOException ex)
            {
                LogUnreadable(logger, path, ex.Message);
                return (null, false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (null, settler.FailRead(path, null, Crashed(path, ex)));
            }

            try
            {
                if (ledger.FindItem(hash) is { State: ItemStates.Done })
                {
                    // Processed before (a crash came between the ledger and the archive move, or the same file came again).
                    if (settler.Move)
                    {
                        MoveToArchive(path, UniqueIn(layout.ArchiveFor(Today()), Path.GetFileName(path)));
                    }

                    LogAlreadyDone(logger, path);
                    return (null, false);
                }

                var max = options.Value.MaxMessagesPerItem;
                var content = InboxItemReader.ReadWithin(file.Stream, Path.GetFileName(path), modifiedUtc, options.Value.ReadBudget, time, max, CancellationToken.None);
                if (content.Messages.Count > max)
                {
                    return (null, settler.FailRead(path, hash, TooManyMessages(max)));
                }

                foreach (var note in content.Messages.SelectMany(m => m.ReadNotes).Distinct(StringComparer.Ordinal))
                {
                    LogReadNote(logger, Path.GetFileName(path), note);
                }

                var archivePath = settler.Move ? UniqueIn(layout.ArchiveFor(Today()), Path.GetFileName(path)) : path;
                var item = new IntakeItem(hash, Path.GetFileName(path), layout.Relative(archivePath), content, settler)
                {
                    Refreshes = _grown.TryRemove(path, out var earlier) ? earlier : new HashSet<string>(StringComparer.Ordinal),
                    Origin = InboxItems.IsSent(layout.Inbox, path) ? MailOrigin.Sent : MailOrigin.Received,
                };
                return (settler.Remember(item, path, new ReadStamp(file.Length, modifiedUtc, hash)), false);
            }
            catch (UnreadableItemException ex)
            {
                return (null, settler.FailRead(path, hash, ex.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (null, settler.FailRead(path, hash, Crashed(path, ex)));
            }
        }
    }

    private static string TooManyMessages(int max) =>
        $"This mailbox holds more than {max} messages; each thread costs LLM calls, so it was not read. To process it anyway, " +
        $"raise ReplyDrafter:Inbox:MaxMessagesPerItem above its message count (e.g. --ReplyDrafter:Inbox:MaxMessagesPerItem={max * 10}) and move it back into the inbox, or split it into smaller files.";

    /// <summary>
    /// An entry that is not a regular file: a link (to a file outside the vault, to <c>/dev/zero</c>) or a folder fails
    /// with the reason; a FIFO, device or socket cannot be moved meaningfully and is left alone with one warning.
    /// </summary>
    private (IntakeItem? Item, bool Failed) Refused(string path, InboxOpenResult opened, Settler settler)
    {
        switch (opened.Kind)
        {
            case InboxEntryKind.Missing:
                return (null, false);
            case InboxEntryKind.Fifo or InboxEntryKind.CharacterDevice or InboxEntryKind.BlockDevice or InboxEntryKind.Socket:
                if (_reported.TryAdd(path, opened.Kind.ToString()))
                {
                    LogLeftAlone(logger, ControlText.FileNameForConsole(Path.GetFileName(path)), opened.Refusal ?? InboxFile.Describe(opened.Kind));
                }

                return (null, false);
            case InboxEntryKind.RegularFile:
                // Could not be opened (a lock, permissions): transient, tried again next scan.
                LogUnreadable(logger, path, opened.Refusal ?? "it cannot be opened");
                return (null, false);
            default:
                return (null, settler.FailRead(path, null, $"ReplyDrafter did not read this entry: {opened.Refusal ?? InboxFile.Describe(opened.Kind)}."));
        }
    }

    /// <summary>
    /// True when the file is still exactly what was read (size, modification time, content). A writer that went on
    /// after the read (a file saved in two parts) makes it false: the item must be read again, not archived half-read.
    /// </summary>
    private static bool Unchanged(string path, ReadStamp stamp)
    {
        var opened = InboxFile.TryOpen(path);
        if (opened.File is not { } file)
        {
            return opened.Kind == InboxEntryKind.Missing;
        }

        using (file)
        {
            return file.Length == stamp.Length
                && File.GetLastWriteTimeUtc(file.Stream.SafeFileHandle) == stamp.ModifiedUtc
                && file.Sha256() == stamp.Sha256;
        }
    }

    private static bool ChangedSince(string path, string sha256)
    {
        var opened = InboxFile.TryOpen(path);
        if (opened.File is not { } file)
        {
            return false;
        }

        using (file)
        {
            return file.Sha256() != sha256;
        }
    }

    /// <summary>How many files grew after they were read and stay in the inbox to be read again (reset by the call).</summary>
    public int TakeGrown() => Interlocked.Exchange(ref _grownSinceAsked, 0);

    /// <summary>The console is the user's: the stack trace goes to the debug log only, the reason to the error file.</summary>
    private string Crashed(string path, Exception ex)
    {
        LogReadCrashed(logger, path, ex.GetType().Name);
        LogReadCrashedDetail(logger, ex, path);
        return "ReplyDrafter could not read this file: " + ex.Message;
    }

    private void MoveToArchive(string path, string archivePath)
    {
        archivePath = layout.Absolute(archivePath);
        Directory.CreateDirectory(Path.GetDirectoryName(archivePath)!);
        File.Move(path, archivePath);
        LogArchived(logger, path, archivePath);
    }

    /// <summary>Moves the item to <c>_failed/</c> with <c>NAME.error.md</c> saying why, in words.</summary>
    private void MoveToFailed(string path, string reason)
    {
        var target = UniqueIn(layout.Failed, Path.GetFileName(path));
        AtomicFile.WriteAllText(target + ".error.md", FailedItemNote.Render(Path.GetFileName(target), Path.GetFileName(path), reason, time.GetLocalNow()));
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

    /// <summary>Puts items of one batch away: moving them (inbox) or leaving them in place (<c>process FILE...</c>).</summary>
    private sealed class Settler(InboxFolderSource source, bool move) : IItemSettlement
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<IntakeItem, (string Path, ReadStamp Stamp)> _paths = new();

        public bool Move => move;

        public IntakeItem Remember(IntakeItem item, string path, ReadStamp stamp)
        {
            _paths[item] = (path, stamp);
            return item;
        }

        public void Complete(IntakeItem item)
        {
            var (path, stamp) = _paths[item];
            if (!Unchanged(path, stamp))
            {
                source.Grew(item, path);
                return;
            }

            if (move)
            {
                source.MoveToArchive(path, item.SourceRef);
            }
        }

        public void Fail(IntakeItem item, string reason)
        {
            var (path, stamp) = _paths[item];
            if (!Unchanged(path, stamp))
            {
                // What failed may be only the first half: the whole file gets its own chance.
                source.Grew(item, path);
                return;
            }

            if (move)
            {
                source.MoveToFailed(path, reason);
            }
        }

        public bool FailRead(string path, string? hash, string reason) => source.FailRead(path, hash, reason, move);
    }

    /// <summary>The file changed after it was read: it stays in the inbox and its next read replaces what this one stored.</summary>
    private void Grew(IntakeItem item, string path)
    {
        var ids = new HashSet<string>(item.Content.Messages.Select(m => m.MessageId), StringComparer.Ordinal);
        ids.UnionWith(item.Refreshes);
        _grown[path] = ids;
        Interlocked.Increment(ref _grownSinceAsked);
        LogGrew(logger, ControlText.FileNameForConsole(item.Name));
    }

    /// <summary>What was read: compared with the file before it is archived.</summary>
    private sealed record ReadStamp(long Length, DateTime ModifiedUtc, string Sha256);

    /// <summary>A file that failed before it became an item: recorded (when its hash is known) and put aside.</summary>
    private bool FailRead(string path, string? hash, string reason, bool move)
    {
        if (hash is not null && ChangedSince(path, hash))
        {
            // A half-written file may look damaged: it is read again once complete instead of being put aside.
            Interlocked.Increment(ref _grownSinceAsked);
            LogGrew(logger, ControlText.FileNameForConsole(Path.GetFileName(path)));
            return false;
        }

        LogFailed(logger, ControlText.FileNameForConsole(Path.GetFileName(path)), reason);
        if (hash is not null)
        {
            ledger.SetItem(hash, Path.GetFileName(path), ItemStates.Failed, reason, time.GetUtcNow());
        }

        if (move)
        {
            try
            {
                MoveToFailed(path, reason);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Said once per file and reason: the daemon meets the same stuck file on every rescan.
                if (_reported.TryAdd(path, ex.Message) || _reported[path] != ex.Message)
                {
                    _reported[path] = ex.Message;
                    LogCannotPutAside(logger, path, ex.Message);
                }
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} was written to after it was read; it stays in the inbox and is read again in full")]
    private static partial void LogGrew(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name} is left alone in the inbox: {Reason}")]
    private static partial void LogLeftAlone(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: {Note}")]
    private static partial void LogReadNote(ILogger logger, string name, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived {Path} to {Archive}")]
    private static partial void LogArchived(ILogger logger, string path, string archive);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} was processed before; moved to the archive")]
    private static partial void LogAlreadyDone(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed {Name}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not open {Path} yet: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move {Path} to the failed folder ({Reason}); it stays in the inbox")]
    private static partial void LogCannotPutAside(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading {Path} failed unexpectedly ({ExceptionType}); the item goes to the failed folder")]
    private static partial void LogReadCrashed(ILogger logger, string path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading {Path} failed unexpectedly")]
    private static partial void LogReadCrashedDetail(ILogger logger, Exception exception, string path);
}
