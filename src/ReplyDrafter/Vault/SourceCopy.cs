using ReplyDrafter.Mail;

namespace ReplyDrafter.Vault;

/// <summary>The readable markdown copy of one email in <c>Sources/Email/YYYY/</c>.</summary>
internal static class SourceCopy
{
    /// <summary><c>YYYY-MM-DD_HHMMSS_&lt;n&gt;_&lt;Subject-Slug&gt;.md</c>; n is derived from the Message-ID, so it is deterministic.</summary>
    public static string FileName(EmailMessage message) => throw new NotImplementedException();

    /// <summary>Frontmatter (from, to, cc, date, subject, message_id, in_reply_to, references, attachments) and the body.</summary>
    public static string Render(EmailMessage message) => throw new NotImplementedException();
}

/// <summary>Canonical spellings of people who already have a note in the vault (by file name or <c>aliases:</c>).</summary>
internal sealed class PeopleDirectory
{
    /// <summary>Scans the vault's markdown files (outside ReplyDrafter's own folders) for people notes.</summary>
    public static PeopleDirectory Load(string vaultRoot, IEnumerable<string> excludedFolders) => throw new NotImplementedException();

    /// <summary>Names to offer the model as spellings to use.</summary>
    public IReadOnlyList<string> KnownNames => throw new NotImplementedException();

    /// <summary>The vault's spelling of <paramref name="name"/> (case, alias, or close misspelling), or the name itself.</summary>
    public string Canonical(string name) => throw new NotImplementedException();
}
