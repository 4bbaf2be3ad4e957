namespace ReplyDrafter.Inbox;

/// <summary>Which files in the inbox folder are items, and which are someone's half-written temp files.</summary>
internal static class InboxItems
{
    /// <summary>The drop folder for the user's own sent mail, inside the inbox: the one vault origin that proves who wrote a message.</summary>
    public const string SentFolder = "Sent";

    /// <summary>Files at the top of the inbox and of its <see cref="SentFolder"/> that are not hidden, partial downloads or editor temp files.</summary>
    public static IEnumerable<string> List(string inbox)
    {
        var sent = Path.Combine(inbox, SentFolder);
        return Directory.Exists(inbox)
            ? Directory.EnumerateFiles(inbox).Concat(Directory.Exists(sent) ? Directory.EnumerateFiles(sent) : []).Where(IsCandidate).Order(StringComparer.Ordinal)
            : [];
    }

    /// <summary>True for a file in the inbox's <see cref="SentFolder"/>.</summary>
    public static bool IsSent(string inbox, string path) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Path.GetFullPath(Path.Combine(inbox, SentFolder)), StringComparison.Ordinal);

    public static bool IsCandidate(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length > 0
            && name[0] is not '.' and not '~'
            && !name.EndsWith(".error.md", StringComparison.OrdinalIgnoreCase)
            && Path.GetExtension(name).ToUpperInvariant() is not (".TMP" or ".PART" or ".CRDOWNLOAD" or ".SWP" or ".LOCK");
    }
}
