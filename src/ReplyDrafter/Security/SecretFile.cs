using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ReplyDrafter.Security;

/// <summary>
/// A secret kept in a file (<c>Llm:ApiKeyFile</c>, <c>Imap:PasswordFile</c>, <c>init --api-key-file</c>). The file must
/// be a regular file (a link is followed and what it points at is judged: Kubernetes and Docker mount secrets that way;
/// a folder, FIFO, device or socket is refused), on Unix owned by the user running the program and closed to group and
/// others (0600 or 0400), and hold the secret alone on one line: one trailing newline is dropped, any other CR, LF or
/// control character is refused, since the value ends up in an HTTP header or an IMAP command.
/// </summary>
/// <remarks>
/// Files systemd placed in <c>$CREDENTIALS_DIRECTORY</c> (<c>LoadCredential=</c>) are exempt from the owner and mode
/// rule: for a system service with <c>User=</c> they are root's, 0400, and the service user reads them through an ACL
/// systemd adds, which shows as group bits in the mode. systemd restricts them to the service itself.
/// </remarks>
internal static class SecretFile
{
    /// <summary>Far more than any key or password; a larger file is not a secret file.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The absolute path of a configured secret file: a relative name is looked up in <c>$CREDENTIALS_DIRECTORY</c>
    /// (systemd <c>LoadCredential=</c>) when that is set, else in the current folder.
    /// </summary>
    public static string Locate(string file, string? credentialsDirectory) =>
        !Path.IsPathRooted(file) && !string.IsNullOrEmpty(credentialsDirectory)
            ? Path.GetFullPath(Path.Combine(credentialsDirectory, file))
            : Path.GetFullPath(file);

    /// <summary>Whether systemd put the file there: directly in <c>$CREDENTIALS_DIRECTORY</c>.</summary>
    public static bool IsSystemdCredential(string path, string? credentialsDirectory) =>
        !string.IsNullOrEmpty(credentialsDirectory) &&
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(credentialsDirectory)), StringComparison.Ordinal);

    /// <summary>Reads the secret at <paramref name="path"/>, judging owner and mode unless systemd put it in <paramref name="credentialsDirectory"/>.</summary>
    public static bool TryRead(string path, string? credentialsDirectory, [NotNullWhen(true)] out string? secret, [NotNullWhen(false)] out string? problem) =>
        TryRead(path, IsSystemdCredential(path, credentialsDirectory), out secret, out problem);

    /// <summary>Reads the secret, or says in a sentence why the file is refused (what to run, where there is a fix).</summary>
    /// <param name="path">An absolute path.</param>
    /// <param name="systemdCredential">The file is in <c>$CREDENTIALS_DIRECTORY</c>: owner and mode are not judged.</param>
    public static bool TryRead(string path, bool systemdCredential, [NotNullWhen(true)] out string? secret, [NotNullWhen(false)] out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        secret = null;
        byte[] bytes;
        try
        {
            bytes = OperatingSystem.IsWindows() ? ReadWindows(path, out problem) : ReadUnix(path, systemdCredential, out problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            return false;
        }

        if (problem is not null)
        {
            return false;
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = "it is not UTF-8 text";
            return false;
        }

        return TryParse(text, out secret, out problem);
    }

    /// <summary>The secret in <paramref name="text"/> (a file's or standard input's): one line, one trailing newline dropped.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out string? secret, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        secret = null;
        problem = null;

        // `echo KEY > FILE` leaves one newline (CRLF from a Windows editor); the secret itself never has one.
        text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        if (text.Length == 0)
        {
            problem = "it is empty";
            return false;
        }

        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            problem = "it holds more than one line; put the secret alone on one line";
            return false;
        }

        if (text.Any(char.IsControl))
        {
            problem = "it holds control characters; put the secret alone on one line";
            return false;
        }

        secret = text;
        return true;
    }

    private static byte[] ReadUnix(string path, bool systemdCredential, out string? problem)
    {
        // Not O_NOFOLLOW: mounted secrets are often links; fstat below judges the file actually opened.
        var fd = UnixNative.OpenReadNonBlocking(path, out var errno);
        if (fd < 0)
        {
            problem = errno switch
            {
                2 => "no such file",
                13 => "permission denied",
                20 => "a folder on its path is not a folder",
                _ => string.Create(CultureInfo.InvariantCulture, $"it cannot be opened (error {errno})"),
            };
            return [];
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (UnixNative.FStatOwner(fd) is not var (kind, mode, owner))
        {
            problem = "it cannot be examined (fstat failed)";
            return [];
        }

        if (kind != InboxEntryKind.RegularFile)
        {
            problem = NotRegular(kind);
            return [];
        }

        var me = UnixNative.EffectiveUserId();
        if (!systemdCredential && owner != me)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"it belongs to another user (uid {owner}, not {me}); keep the secret in a file of your own (chmod 600)");
            return [];
        }

        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (!systemdCredential && (mode & GroupOrOthers) != 0)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"others may read or change it (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}); run: chmod 600 '{path}'");
            return [];
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        return ReadBounded(stream, out problem);
    }

    private static byte[] ReadWindows(string path, out string? problem)
    {
        // Windows: the file's ACL (inherited from the user's profile) decides who reads it; only its kind is judged.
        var kind = InboxFile.Inspect(path);
        if (kind == InboxEntryKind.Missing)
        {
            problem = "no such file";
            return [];
        }

        if (kind is not (InboxEntryKind.RegularFile or InboxEntryKind.SymbolicLink))
        {
            problem = NotRegular(kind);
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadBounded(stream, out problem);
    }

    private static byte[] ReadBounded(FileStream stream, out string? problem)
    {
        var buffer = new byte[MaxBytes + 1];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        problem = read > MaxBytes ? string.Create(CultureInfo.InvariantCulture, $"it is larger than {MaxBytes / 1024} KB; it must hold the secret alone") : null;
        return buffer[..read];
    }

    private static string NotRegular(InboxEntryKind kind) => kind switch
    {
        InboxEntryKind.Directory => "it is a folder, not a file",
        InboxEntryKind.Fifo => "it is a named pipe (FIFO); a secret file must be a regular file",
        InboxEntryKind.CharacterDevice or InboxEntryKind.BlockDevice => "it is a device; a secret file must be a regular file",
        InboxEntryKind.Socket => "it is a socket; a secret file must be a regular file",
        _ => "it is not a regular file",
    };
}
