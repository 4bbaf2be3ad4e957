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
/// not expose: a file renamed in or closed by its writer is complete at once, and one still open is never read. A
/// dedicated thread blocks in <c>read</c>; disposing removes the watch, whose IN_IGNORED event wakes it to end.
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
    private const int InCloseOnExec = 0x80000;

    private readonly int _fd;
    private readonly int _watch;
    private readonly string _folder;
    private readonly Action<string, InboxEvent> _onEvent;
    private readonly Thread _thread;
    private volatile bool _disposed;

    private InotifyWatcher(int fd, int watch, string folder, Action<string, InboxEvent> onEvent)
    {
        (_fd, _watch, _folder, _onEvent) = (fd, watch, folder, onEvent);
        _thread = new Thread(Run) { IsBackground = true, Name = "inbox inotify" };
        _thread.Start();
    }

    /// <summary>Watches <paramref name="folder"/>; null where inotify is not available (not Linux, or the limit of watches is reached).</summary>
    /// <param name="folder">The inbox folder (its top level only).</param>
    /// <param name="onEvent">Called on the watcher's thread with the entry's full path (or the folder, for an overflow).</param>
    /// <param name="error">Why there is no watcher, when there is none on Linux.</param>
    public static InotifyWatcher? TryStart(string folder, Action<string, InboxEvent> onEvent, out string? error)
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

        var watch = NativeMethods.InotifyAddWatch(fd, Encoding.UTF8.GetBytes(folder + "\0"), InModify | InCloseWrite | InMovedTo | InCreate | InOnlyDir);
        if (watch < 0)
        {
            error = $"inotify_add_watch failed (errno {Marshal.GetLastPInvokeError()})";
            _ = NativeMethods.Close(fd);
            return null;
        }

        return new InotifyWatcher(fd, watch, folder, onEvent);
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

    /// <summary>Hands each event on; true when the watch is gone (IN_IGNORED), which ends the thread.</summary>
    private bool Dispatch(ReadOnlySpan<byte> events)
    {
        var ended = false;
        while (events.Length >= 16)
        {
            // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
            var mask = BinaryPrimitives.ReadUInt32LittleEndian(events[4..]);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(events[12..]);
            var nameBytes = events.Slice(16, length);
            var end = nameBytes.IndexOf((byte)0);
            var name = Encoding.UTF8.GetString(end < 0 ? nameBytes : nameBytes[..end]);
            events = events[(16 + length)..];

            if ((mask & InIgnored) != 0)
            {
                ended = true;
            }
            else if ((mask & InQueueOverflow) != 0)
            {
                _onEvent(_folder, InboxEvent.Overflow);
            }
            else if (name.Length > 0)
            {
                var kind = (mask & (InCloseWrite | InMovedTo)) != 0 ? InboxEvent.Complete : InboxEvent.Writing;
                _onEvent(Path.Combine(_folder, name), kind);
            }
        }

        return ended;
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
