using Microsoft.Win32.SafeHandles;

namespace ReplyDrafter.Security;

/// <summary>What an inbox entry is, judged without following a symbolic link.</summary>
internal enum InboxEntryKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>An inbox file opened for reading: the stream and its size, measured on the open file itself.</summary>
internal sealed record OpenedInboxFile(FileStream Stream, long Length) : IDisposable
{
    /// <summary>Lowercase hex SHA-256 of the open file (what <see cref="Vault.Hashing.Sha256File"/> gives for a path),
    /// read from the start; the stream is left at the start for the reader.</summary>
    public string Sha256()
    {
        Stream.Position = 0;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Stream));
        Stream.Position = 0;
        return hash;
    }

    public void Dispose() => Stream.Dispose();
}

/// <summary>The outcome of <see cref="InboxFile.TryOpen"/>: a file, or the reason it was refused.</summary>
internal sealed record InboxOpenResult(OpenedInboxFile? File, InboxEntryKind Kind, string? Refusal)
{
    public bool IsOpen => File is not null;
}

/// <summary>
/// Takes only regular files from the inbox. A symbolic link (to <c>/etc/passwd</c>, to <c>/dev/zero</c>, to a 200 MB
/// file that its own tiny size would let past the size limit), a FIFO (whose <c>open</c> blocks until a writer
/// comes), a device or a socket is refused with a reason. On Unix the file is opened with <c>O_NOFOLLOW |
/// O_NONBLOCK</c> and its type checked with <c>fstat</c> on the open descriptor, so nothing swapped in between the
/// check and the open gets through, and the size is that of the file actually read.
/// </summary>
internal static class InboxFile
{
    /// <summary>The entry's kind from <c>lstat</c> (Unix) or its attributes (Windows), never following a link.</summary>
    public static InboxEntryKind Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return InspectWindows(path);
        }

        return UnixNative.LStatKind(path);
    }

    /// <summary>A plain sentence for the user saying why an entry of this kind is not read.</summary>
    public static string Describe(InboxEntryKind kind) => kind switch
    {
        InboxEntryKind.RegularFile => "a regular file",
        InboxEntryKind.Missing => "it no longer exists",
        InboxEntryKind.Directory => "it is a folder",
        InboxEntryKind.SymbolicLink => "it is a symbolic link; only regular files are read (copy the file into the inbox instead)",
        InboxEntryKind.Fifo => "it is a named pipe (FIFO); only regular files are read",
        InboxEntryKind.CharacterDevice or InboxEntryKind.BlockDevice => "it is a device; only regular files are read",
        InboxEntryKind.Socket => "it is a socket; only regular files are read",
        _ => "it is not a regular file",
    };

    /// <summary>Opens a regular file for reading without following links and without blocking; anything else is refused.</summary>
    public static InboxOpenResult TryOpen(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            var kind = InspectWindows(path);
            if (kind != InboxEntryKind.RegularFile)
            {
                return Refused(kind);
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new InboxOpenResult(new OpenedInboxFile(stream, stream.Length), kind, null);
        }

        var fd = UnixNative.OpenReadNoFollow(path, out var error);
        if (fd < 0)
        {
            // ELOOP: the last component is a symbolic link (O_NOFOLLOW); otherwise tell what lstat sees.
            var seen = Inspect(path);
            return seen == InboxEntryKind.RegularFile
                ? new InboxOpenResult(null, seen, $"it cannot be opened (error {error})")
                : Refused(seen);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var kind = UnixNative.FStatKind(fd);
            if (kind != InboxEntryKind.RegularFile)
            {
                handle.Dispose();
                return Refused(kind);
            }

            var stream = new FileStream(handle, FileAccess.Read);
            return new InboxOpenResult(new OpenedInboxFile(stream, stream.Length), kind, null);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static InboxOpenResult Refused(InboxEntryKind kind) => new(null, kind, Describe(kind));

    private static InboxEntryKind InspectWindows(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path) ? InboxEntryKind.Directory : InboxEntryKind.Missing;
        }

        return info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint) ? InboxEntryKind.SymbolicLink
            : info.Attributes.HasFlag(FileAttributes.Device) ? InboxEntryKind.CharacterDevice
            : InboxEntryKind.RegularFile;
    }
}
