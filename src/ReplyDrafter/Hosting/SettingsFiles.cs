namespace ReplyDrafter.Hosting;

/// <summary>One settings file the configuration looked for, in the order it was layered, and whether it was there.</summary>
internal sealed record SettingsFile(string Role, string Path, bool Exists);

/// <summary>
/// The settings files behind the running configuration, lowest precedence first (environment variables and the command
/// line come after them). <c>status</c> prints it.
/// </summary>
internal sealed record SettingsFiles(IReadOnlyList<SettingsFile> Files)
{
    /// <summary>The files that exist and were read.</summary>
    public IEnumerable<SettingsFile> Read => Files.Where(f => f.Exists);
}
