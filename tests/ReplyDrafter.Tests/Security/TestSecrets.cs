namespace ReplyDrafter.Tests.Security;

/// <summary>Secret files as a careful user writes them: created 0600 (on Unix), then given the mode a test needs.</summary>
internal static class TestSecrets
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Write(string path, string content, UnixFileMode mode = Private)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, content);
            return path;
        }

        using (var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = Private }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.SetUnixFileMode(path, mode);
        return path;
    }
}
