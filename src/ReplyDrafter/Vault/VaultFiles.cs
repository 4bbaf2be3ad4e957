namespace ReplyDrafter.Vault;

/// <summary>File-system helpers every vault writer uses.</summary>
internal static class AtomicFile
{
    /// <summary>Writes UTF-8 (no BOM) to a temp file in the same folder, flushes to disk, renames over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text) => throw new NotImplementedException();

    /// <summary>Deletes temp files a crash left in <paramref name="folder"/> (recursively).</summary>
    public static int RemoveStaleTempFiles(string folder) => throw new NotImplementedException();

    /// <summary>True for the temp files <see cref="WriteAllText"/> creates.</summary>
    public static bool IsTempFile(string path) => throw new NotImplementedException();
}

internal static class Slug
{
    /// <summary>Letters, digits, '-' and '_' only, words joined by '-', at most <paramref name="maxLength"/> chars; never empty.</summary>
    public static string Make(string text, int maxLength = 80) => throw new NotImplementedException();
}

internal static class Hashing
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string Sha256(string text) => throw new NotImplementedException();

    public static string Sha256File(string path) => throw new NotImplementedException();
}

/// <summary>YAML frontmatter written with YamlDotNet, so any string round-trips exactly.</summary>
internal static class Frontmatter
{
    /// <summary>"---\n" + YAML of the ordered pairs + "---\n". Values: string, bool, number, null, or a list of strings.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, object?>> fields) => throw new NotImplementedException();

    /// <summary>Parses a markdown file's frontmatter; empty when there is none or it is malformed.</summary>
    public static IReadOnlyDictionary<string, object?> Read(string markdown) => throw new NotImplementedException();
}
