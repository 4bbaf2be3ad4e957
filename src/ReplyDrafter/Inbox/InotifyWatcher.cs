using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ReplyDrafter.Inbox;

/// <summary>What inotify said about an inbox entry.</summary>
internal enum InboxEvent
{
    /// <summary>A writer opened it and wrote (IN_CREATE, IN_MODIFY): not complete until it is closed.</summary>
    Writing,

    /// <summary>A writer closed it (IN_CLOSE_WRITE) or it was renamed in (IN_MOVED_TO): complete now.</summary>
    Complete,

    /// <summary>The kernel queue overflowed (IN_Q_OVERFLOW): events were lost, so what is known about writers is not.</summary>
    Overflow,
}

/// <summary>
/// The inbox folder's close-write and moved-to events from Linux inotify, which <see cref="FileSystemWatcher"/> does
/// not expose: a file renamed in or closed by its writer is complete at once, and one still open is never read. The
/// sent-mail drop folder inside it gets a watch of its own whenever it exists (also when made or renamed in later), so
/// a reply dropped there is learned at once rather than at the next rescan. A dedicated thread blocks in <c>read</c>;
/// disposing removes the inbox's watch, whose IN_IGNORED event wakes it to end.
/// </summary>
internal sealed class InotifyWatcher : IDisposable
{
    private const uint InModify = 0x2;
    private const uint InCloseWrite = 0x8;
    private const uint InMovedTo = 0x80;
    private const uint InCreate = 0x100;
    private const uint InQueueOverflow = 0x4000;
    private const uint InIgnored = 0x8000;
    private const uint InOnlyDir = 0x1000000;
    private const uint InIsDir = 0x40000000;
    private const uint Mask = InModify | InCloseWrite | InMovedTo | InCreate | InOnlyDir;
    private const int InCloseOnExec = 0x80000;

    private readonly int _fd;
    private readonly int _watch;
    private readonly string _folder;
    private readonly string? _subfolder;
    private readonly Dictionary<int, string> _folders = [];
    private readonly Action<string, InboxEvent> _onEvent;
    private readonly Thread _thread;
    private volatile bool _disposed;

    private InotifyWatcher(int fd, int watch, string folder, string? subfolder, Action<string, InboxEvent> onEvent)
    {
        (_fd, _watch, _folder, _subfolder, _onEvent) = (fd, watch, folder, subfolder, onEvent);
        _folders[watch] = folder;

        // Before the thread starts, so nothing else touches _folders yet; a folder made from now on has its create event.
        _ = WatchSubfolder();
        _thread = new Thread(Run) { IsBackground = true, Name = "inbox inotify" };
        _thread.Start();
    }

    /// <summary>Watches <paramref name="folder"/>; null where inotify is not available (not Linux, or the limit of watches is reached).</summary>
    /// <param name="folder">The inbox folder (its top level only).</param>
    /// <param name="onEvent">Called on the watcher's thread with the entry's full path (or the folder, for an overflow).</param>
    /// <param name="error">Why there is no watcher, when there is none on Linux.</param>
    /// <param name="subfolder">The name of a folder inside <paramref name="folder"/> watched too, whenever it exists.</param>
    public static InotifyWatcher? TryStart(string folder, Action<string, InboxEvent> onEvent, out string? error, string? subfolder = null)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        error = null;
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = NativeMethods.InotifyInit1(InCloseOnExec);
        if (fd < 0)
        {
            error = $"inotify_init1 failed (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }

        var watch = NativeMethods.InotifyAddWatch(fd, Encoding.UTF8.GetBytes(folder + "\0"), Mask);
        if (watch < 0)
        {
            error = $"inotify_add_watch failed (errno {Marshal.GetLastPInvokeError()})";
            _ = NativeMethods.Close(fd);
            return null;
        }

        return new InotifyWatcher(fd, watch, folder, subfolder, onEvent);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // The IN_IGNORED event this raises ends the blocked read; the thread closes the descriptor.
        if (NativeMethods.InotifyRmWatch(_fd, _watch) != 0)
        {
            _ = NativeMethods.Close(_fd);
        }
        else
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        // Big enough for many events at once: each is 16 bytes plus a NUL-padded name of at most NAME_MAX + 1.
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = (int)NativeMethods.Read(_fd, buffer, buffer.Length);
                if (read <= 0)
                {
                    if (read < 0 && Marshal.GetLastPInvokeError() == 4 && !_disposed)
                    {
                        continue; // EINTR
                    }

                    return;
                }

                if (Dispatch(buffer.AsSpan(0, read)))
                {
                    return;
                }
            }
        }
        finally
        {
            if (_disposed)
            {
                _ = NativeMethods.Close(_fd);
            }
        }
    }

    /// <summary>Hands each event on; true when the inbox's watch is gone (IN_IGNORED), which ends the thread.</summary>
    private bool Dispatch(ReadOnlySpan<byte> events)
    {
        var ended = false;
        while (events.Length >= 16)
        {
            // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
            var wd = BinaryPrimitives.ReadInt32LittleEndian(events);
            var mask = BinaryPrimitives.ReadUInt32LittleEndian(events[4..]);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(events[12..]);
            var nameBytes = events.Slice(16, length);
            var end = nameBytes.IndexOf((byte)0);
            var name = Encoding.UTF8.GetString(end < 0 ? nameBytes : nameBytes[..end]);
            events = events[(16 + length)..];

            if ((mask & InIgnored) != 0)
            {
                // The inbox's own watch ends the thread; the subfolder's was removed with the folder (made again: watched again).
                ended |= wd == _watch;
                _folders.Remove(wd);
            }
            else if ((mask & InQueueOverflow) != 0)
            {
                _onEvent(_folder, InboxEvent.Overflow);
            }
            else if (name.Length > 0 && _folders.TryGetValue(wd, out var folder))
            {
                var path = Path.Combine(folder, name);
                if ((mask & InIsDir) != 0)
                {
                    // The drop folder made or renamed in: watch it, and rescan, as it may already hold files.
                    if (wd == _watch && (mask & (InCreate | InMovedTo)) != 0 && string.Equals(name, _subfolder, StringComparison.Ordinal) && WatchSubfolder())
                    {
                        _onEvent(path, InboxEvent.Complete);
                    }

                    continue;
                }

                var kind = (mask & (InCloseWrite | InMovedTo)) != 0 ? InboxEvent.Complete : InboxEvent.Writing;
                _onEvent(path, kind);
            }
        }

        return ended;
    }

    /// <summary>Adds (or keeps) the subfolder's watch; false when there is no subfolder to watch.</summary>
    private bool WatchSubfolder()
    {
        if (_subfolder is null)
        {
            return false;
        }

        var path = Path.Combine(_folder, _subfolder);
        var watch = NativeMethods.InotifyAddWatch(_fd, Encoding.UTF8.GetBytes(path + "\0"), Mask);
        if (watch < 0)
        {
            return false; // not there (yet), or the watch limit: the rescan still reads it
        }

        _folders[watch] = path;
        return true;
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int InotifyInit1(int flags);

        [DllImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int InotifyAddWatch(int fd, byte[] path, uint mask);

        [DllImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int InotifyRmWatch(int fd, int watch);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern nint Read(int fd, byte[] buffer, nint count);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Close(int fd);
    }
}
