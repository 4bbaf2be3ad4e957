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

    /// <summary>
    /// The most UTF-8 bytes a stem may take: a name is at most 255 bytes, and a note's prompt record adds
    /// <c>.prompt.json</c> and a replay <c>.replay-YYYYMMDD-HHMMSS-model</c> to it.
    /// </summary>
    public const int MaxStemBytes = 180;

    /// <summary>The text cut to at most <paramref name="maxBytes"/> UTF-8 bytes, at a character boundary (never half a surrogate pair).</summary>
    public static string CapBytes(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder();
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }

        var capped = builder.ToString().TrimEnd('-', '_');
        return capped.Length > 0 ? capped : text[..(char.IsHighSurrogate(text[0]) && text.Length > 1 ? 2 : 1)];
    }

    /// <summary>
    /// <c>folder/stem.extension</c>, or the first of <c>stem-2</c>, <c>stem-3</c>... that no file or folder takes yet
    /// (SPEC §1: a clash gets a numeric suffix, never an overwrite). The stem is shortened so the suffix still fits in
    /// <paramref name="maxStemLength"/>.
    /// </summary>
    /// <param name="extension">With its dot: ".md", ".prompt.json".</param>
    /// <param name="taken">Whether a free path is still taken for another reason (claimed in the ledger, its prompt record exists).</param>
    public static string Unique(string folder, string stem, string extension, int maxStemLength = 80, Func<string, bool>? taken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(stem);
        ArgumentNullException.ThrowIfNull(extension);

        for (var n = 1; ; n++)
        {
            var suffix = n == 1 ? string.Empty : $"-{n}";
            var head = stem.Length + suffix.Length > maxStemLength ? stem[..Math.Max(1, maxStemLength - suffix.Length)].TrimEnd('-', '_') : stem;

            // File systems limit a name to 255 bytes, not characters: 100 Hangul syllables are 300 bytes.
            head = CapBytes(head, MaxStemBytes - System.Text.Encoding.UTF8.GetByteCount(suffix));
            var candidate = Path.Combine(folder, head + suffix + extension);
            if (!File.Exists(candidate) && !Directory.Exists(candidate) && taken?.Invoke(candidate) != true)
            {
                return candidate;
            }
        }
    }
}
