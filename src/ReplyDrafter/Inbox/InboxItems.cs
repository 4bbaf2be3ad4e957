namespace ReplyDrafter.Inbox;

/// <summary>Which files in the inbox folder are items, and which are someone's half-written temp files.</summary>
internal static class InboxItems
{
    /// <summary>Top-level files that are not hidden, partial downloads or editor temp files.</summary>
    public static IEnumerable<string> List(string inbox) =>
        Directory.Exists(inbox)
            ? Directory.EnumerateFiles(inbox).Where(IsCandidate).Order(StringComparer.Ordinal)
            : [];

    public static bool IsCandidate(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length > 0
            && name[0] is not '.' and not '~'
            && !name.EndsWith(".error.md", StringComparison.OrdinalIgnoreCase)
            && Path.GetExtension(name).ToUpperInvariant() is not (".TMP" or ".PART" or ".CRDOWNLOAD" or ".SWP" or ".LOCK");
    }
}
