using System.Globalization;
using Microsoft.Win32.SafeHandles;
using ReplyDrafter.Security;

namespace ReplyDrafter.Cli;

/// <summary>
/// One writer per vault. On Unix the lock is an <c>flock</c> on the state folder itself, which cannot be deleted
/// while in use the way a lock file can (deleting <c>.replydrafter/lock</c> under a running daemon used to let a
/// second one start). <c>.replydrafter/lock</c> still holds the PID for people, and is opened without following
/// links: a symbolic link there is refused and its target left untouched. On Windows an open handle without
/// delete sharing keeps the lock file from being removed. The OS releases the lock even when the process is killed.
/// </summary>
internal sealed class VaultLock : IDisposable
{
    public const string FileName = "lock";

    private readonly SafeFileHandle? _folder;
    private readonly FileStream _file;

    private VaultLock(SafeFileHandle? folder, FileStream file) => (_folder, _file) = (folder, file);

    /// <summary>The lock, or null when another ReplyDrafter holds it.</summary>
    /// <exception cref="UsageException">The lock file is a symbolic link or not a regular file.</exception>
    public static VaultLock? TryAcquire(string stateFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateFolder);
        PrivateFiles.CreateFolder(stateFolder);
        var lockPath = Path.Combine(stateFolder, FileName);
        var acquired = OperatingSystem.IsWindows() ? TryAcquireWindows(lockPath) : TryAcquireUnix(stateFolder, lockPath);
        if (acquired is not null)
        {
            // The ledger and logs hold mail text: files an older release left at the umask's 0644 become 0600.
            PrivateFiles.RestrictTree(stateFolder);
        }

        return acquired;
    }

    public void Dispose()
    {
        _file.Dispose();
        _folder?.Dispose(); // closing the descriptor releases the flock
    }

    private static VaultLock? TryAcquireUnix(string stateFolder, string lockPath)
    {
        var folderFd = UnixNative.OpenRead(stateFolder, out var errno);
        if (folderFd < 0)
        {
            throw new IOException($"Cannot open the state folder {stateFolder} (error {errno}).");
        }

        var folder = new SafeFileHandle(folderFd, ownsHandle: true);
        try
        {
            if (!UnixNative.TryLockExclusive(folderFd, out errno))
            {
                folder.Dispose();
                return UnixNative.IsWouldBlock(errno) ? null : throw new IOException($"Cannot lock {stateFolder} (error {errno}).");
            }

            var file = OpenLockFileUnix(lockPath);
            WritePid(file);
            return new VaultLock(folder, file);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private static FileStream OpenLockFileUnix(string lockPath)
    {
        var fd = UnixNative.OpenWriteNoFollow(lockPath, PrivateFiles.PrivateFileMode, out var errno);
        if (fd < 0)
        {
            throw UnixNative.IsLoop(errno)
                ? Refused(lockPath, "is a symbolic link")
                : new IOException($"Cannot open the lock file {lockPath} (error {errno}).");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (UnixNative.FStatKind(fd) != InboxEntryKind.RegularFile)
        {
            handle.Dispose();
            throw Refused(lockPath, "is not a regular file");
        }

        return new FileStream(handle, FileAccess.ReadWrite);
    }

    private static VaultLock? TryAcquireWindows(string lockPath)
    {
        if (new FileInfo(lockPath) is { Exists: true } existing && (existing.LinkTarget is not null || existing.Attributes.HasFlag(FileAttributes.ReparsePoint)))
        {
            throw Refused(lockPath, "is a symbolic link");
        }

        try
        {
            var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            WritePid(file);
            return new VaultLock(null, file);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WritePid(FileStream file)
    {
        file.SetLength(0);
        file.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
        file.Flush();
    }

    private static UsageException Refused(string lockPath, string what) =>
        new($"The lock file {lockPath} {what}; ReplyDrafter does not write through it. Remove it and start again.");
}
