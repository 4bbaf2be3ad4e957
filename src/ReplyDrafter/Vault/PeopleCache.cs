using Microsoft.Extensions.Logging;

namespace ReplyDrafter.Vault;

/// <summary>
/// The vault's people directory, loaded once and loaded again only after a markdown file outside ReplyDrafter's own
/// folders changed (a file watcher tells; when none can be had, every batch loads it, as before).
/// </summary>
internal sealed partial class PeopleCache(VaultLayout layout, ILogger<PeopleCache> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private PeopleDirectory? _current;
    private FileSystemWatcher? _watcher;
    private bool _watching;
    private volatile bool _stale = true;

    public PeopleDirectory Current
    {
        get
        {
            lock (_lock)
            {
                if (!_watching)
                {
                    _watching = true;
                    _watcher = TryWatch();
                }

                if (_stale || _current is null || _watcher is null)
                {
                    _stale = false;
                    _current = Load() ?? _current ?? PeopleDirectory.Empty;
                }

                return _current;
            }
        }
    }

    public void Dispose() => _watcher?.Dispose();

    private PeopleDirectory? Load()
    {
        try
        {
            return PeopleDirectory.Load(layout.Root, layout.OwnFolders);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A people note that cannot be read must not stop the inbox: names are just not canonicalized meanwhile.
            LogLoadFailed(logger, ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private FileSystemWatcher? TryWatch()
    {
        try
        {
            var watcher = new FileSystemWatcher(layout.Root, "*.md") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite };
            FileSystemEventHandler changed = (_, e) => Changed(e.FullPath);
            watcher.Created += changed;
            watcher.Changed += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => Changed(e.FullPath);
            watcher.Error += (_, _) => _stale = true;
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            LogNoWatcher(logger, ex.Message);
            return null;
        }
    }

    private void Changed(string path)
    {
        if (!layout.OwnFolders.Any(folder => path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            _stale = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The people notes could not be read ({ExceptionType}: {Reason}); names stay as written until they can")]
    private static partial void LogLoadFailed(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot watch the vault for people notes ({Reason}); they are read again for every batch")]
    private static partial void LogNoWatcher(ILogger logger, string reason);
}
