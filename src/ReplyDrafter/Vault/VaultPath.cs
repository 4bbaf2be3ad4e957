namespace ReplyDrafter.Vault;

/// <summary>Vault-relative paths as files show them: forward slashes, never rooted (SPEC §1-§3).</summary>
internal static class VaultPath
{
    /// <summary>The path with '/' separators; <see cref="ArgumentException"/> when it is absolute or climbs out of the vault.</summary>
    public static string Relative(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Trim().Replace('\\', '/');
        var rooted = normalized.StartsWith('/')
            || (normalized.Length >= 2 && char.IsAsciiLetter(normalized[0]) && normalized[1] == ':')
            || Path.IsPathRooted(path);
        if (rooted || normalized.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{path}' must be a path inside the vault, relative to it.", parameterName);
        }

        return normalized;
    }
}
