namespace ReplyDrafter.Security;

/// <summary>
/// Folders and files that hold full mail text or state (<c>.replydrafter/</c>, <c>Outbox/_prompts/</c>): on Unix the
/// folder is 0700 and its files 0600 whatever the umask, so other local users cannot read them. Windows keeps the
/// inherited ACL of the user's profile.
/// </summary>
internal static class PrivateFiles
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) and makes it 0700 on Unix, also when it already existed.</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var info = Directory.CreateDirectory(path, PrivateFolderMode);
        if (info.LinkTarget is null && File.GetUnixFileMode(path) != PrivateFolderMode)
        {
            File.SetUnixFileMode(path, PrivateFolderMode);
        }

        return info;
    }

    /// <summary>Makes an existing file 0600 on Unix (for files written before this release, or by other code).</summary>
    public static void Restrict(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsWindows() && File.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            File.SetUnixFileMode(path, PrivateFileMode);
        }
    }

    /// <summary>Makes a folder 0700 and every file under it 0600 (not following links): for an existing state folder at start-up.</summary>
    public static void RestrictTree(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }

        CreateFolder(folder);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var sub in Directory.EnumerateDirectories(folder, "*", options))
        {
            File.SetUnixFileMode(sub, PrivateFolderMode);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            File.SetUnixFileMode(file, PrivateFileMode);
        }
    }
}
