using System.Runtime.InteropServices;

namespace ReplyDrafter.Security;

/// <summary>
/// The few libc calls .NET does not expose: <c>open</c> with <c>O_NOFOLLOW | O_NONBLOCK</c>, <c>lstat</c>/<c>fstat</c>
/// for a file's type and owner, <c>geteuid</c>, and <c>flock</c>. Linux (glibc ≥ 2.33, x64/arm64) and macOS; never called on Windows.
/// </summary>
internal static class UnixNative
{
    private const int StatBufferSize = 512; // larger than any struct stat

    /// <summary>EWOULDBLOCK from flock(LOCK_NB), EAGAIN on Linux (35 on macOS).</summary>
    public static bool IsWouldBlock(int errno) => errno == (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 35 : 11);

    /// <summary>ELOOP: open(O_NOFOLLOW) met a symbolic link (62 on macOS).</summary>
    public static bool IsLoop(int errno) => errno == (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD() ? 62 : 40);

    private static bool IsBsd => OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    private static bool IsLinuxArm => !IsBsd && RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    private static int NoFollow => IsBsd ? 0x100 : IsLinuxArm ? 0x8000 : 0x20000;

    private static int NonBlocking => IsBsd ? 0x4 : 0x800;

    private static int CloseOnExec => IsBsd ? 0x1000000 : 0x80000;

    private static int Create => IsBsd ? 0x200 : 0x40;

    /// <summary>Opens read-only, not following a final symbolic link, never waiting (a FIFO without writer); −1 and errno on failure.</summary>
    public static int OpenReadNoFollow(string path, out int errno)
    {
        var fd = NativeMethods.Open(CPath(path), NoFollow | NonBlocking | CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Opens read-only, following links (a state folder may be a link the user made); −1 and errno on failure.</summary>
    public static int OpenRead(string path, out int errno)
    {
        var fd = NativeMethods.Open(CPath(path), CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Opens read-only, following links, never waiting (a FIFO without writer); −1 and errno on failure.</summary>
    public static int OpenReadNonBlocking(string path, out int errno)
    {
        var fd = NativeMethods.Open(CPath(path), NonBlocking | CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Opens read-write, creating the file with <paramref name="mode"/>, refusing a symbolic link and not waiting on a FIFO.</summary>
    public static int OpenWriteNoFollow(string path, UnixFileMode mode, out int errno)
    {
        var fd = NativeMethods.OpenCreate(CPath(path), 2 | Create | NoFollow | NonBlocking | CloseOnExec, (int)mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>flock(LOCK_EX | LOCK_NB): true when taken; errno otherwise.</summary>
    public static bool TryLockExclusive(int fd, out int errno)
    {
        var ok = NativeMethods.Flock(fd, 2 | 4) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>The kind of <paramref name="path"/> itself (a link is a link), or Missing.</summary>
    public static InboxEntryKind LStatKind(string path)
    {
        var status = new byte[StatBufferSize];
        return NativeMethods.LStat(CPath(path), status) == 0 ? KindOf(ModeOf(status)) : InboxEntryKind.Missing;
    }

    /// <summary>The kind of the open file.</summary>
    public static InboxEntryKind FStatKind(int fd)
    {
        var status = new byte[StatBufferSize];
        return NativeMethods.FStat(fd, status) == 0 ? KindOf(ModeOf(status)) : InboxEntryKind.Other;
    }

    /// <summary>The open file's kind, permission bits and owner; null when fstat fails.</summary>
    public static (InboxEntryKind Kind, UnixFileMode Mode, uint Owner)? FStatOwner(int fd)
    {
        var status = new byte[StatBufferSize];
        if (NativeMethods.FStat(fd, status) != 0)
        {
            return null;
        }

        var mode = ModeOf(status);
        return (KindOf(mode), (UnixFileMode)(mode & 0xFFF), OwnerOf(status));
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId() => NativeMethods.GetEuid();

    // S_IFMT and its types have the same values on Linux, macOS and the BSDs.
    private static InboxEntryKind KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => InboxEntryKind.RegularFile,
        0x4000 => InboxEntryKind.Directory,
        0xA000 => InboxEntryKind.SymbolicLink,
        0x1000 => InboxEntryKind.Fifo,
        0x2000 => InboxEntryKind.CharacterDevice,
        0x6000 => InboxEntryKind.BlockDevice,
        0xC000 => InboxEntryKind.Socket,
        _ => InboxEntryKind.Other,
    };

    // st_mode's place in struct stat: glibc x86-64 after st_dev, st_ino, st_nlink (8 bytes each); glibc arm64 after
    // st_dev and st_ino; macOS (64-bit inodes) a 16-bit mode after a 32-bit st_dev.
    private static uint ModeOf(byte[] status) =>
        IsBsd ? BitConverter.ToUInt16(status, 4)
        : RuntimeInformation.ProcessArchitecture == Architecture.X64 ? BitConverter.ToUInt32(status, 24)
        : BitConverter.ToUInt32(status, 16);

    // st_uid: glibc x86-64 right after the 32-bit st_mode; glibc arm64 after st_mode and a 32-bit st_nlink; macOS
    // after st_dev, st_mode, st_nlink and the 64-bit st_ino.
    private static uint OwnerOf(byte[] status) =>
        BitConverter.ToUInt32(status, IsBsd ? 16 : RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 28 : 24);

    // A NUL-terminated UTF-8 path, marshalled by hand so no ANSI best-fit mapping can change it.
    private static byte[] CPath(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int LStat(byte[] path, [Out] byte[] status);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int FStat(int fd, [Out] byte[] status);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int OpenCreate(byte[] path, int flags, int mode);

        [DllImport("libc", EntryPoint = "geteuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern uint GetEuid();

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int Flock(int fd, int operation);
    }
}
