namespace ReplyDrafter.Hosting;

/// <summary>Where users keep their settings: the per-user file, and the file inside a vault.</summary>
internal static class SettingsLocations
{
    public const string FileName = "settings.json";

    /// <summary>
    /// <c>$XDG_CONFIG_HOME/replydrafter/settings.json</c>, else <c>~/.config/replydrafter/settings.json</c> on Linux and
    /// macOS; <c>%APPDATA%\ReplyDrafter\settings.json</c> on Windows.
    /// </summary>
    public static string UserFile() => UserFile(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows());

    /// <summary>The same, with the environment given (tests).</summary>
    public static string UserFile(Func<string, string?> environment, bool windows)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (windows)
        {
            var appData = environment("APPDATA") is { Length: > 0 } a ? a : Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
            return Path.Combine(appData, "ReplyDrafter", FileName);
        }

        // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } x && Path.IsPathRooted(x)
            ? x
            : Path.Combine(environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "replydrafter", FileName);
    }

    /// <summary>The vault's own settings: <c>VAULT/.replydrafter/settings.json</c> (the state folder's default name).</summary>
    public static string VaultFile(string vault, string stateFolder = ".replydrafter") =>
        Path.Combine(Path.GetFullPath(vault), stateFolder, FileName);
}
