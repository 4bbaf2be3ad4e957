namespace ReplyDrafter;

/// <summary>The <c>ReplyDrafter</c> section: where the vault and the prompt templates are.</summary>
public sealed class ReplyDrafterOptions
{
    public const string Section = "ReplyDrafter";

    /// <summary>The vault folder. Relative paths are taken from the current directory.</summary>
    public string Vault { get; set; } = "";

    /// <summary>Folder of <c>*.prompty</c> templates; empty means the <c>prompts/</c> shipped beside the program.</summary>
    public string? Prompts { get; set; }
}

/// <summary>The <c>ReplyDrafter:Me</c> section: who the drafts speak for, and how.</summary>
public sealed class MeOptions
{
    public const string Section = "ReplyDrafter:Me";

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>Other addresses that are also the user's (a reply from any of them is the user's own).</summary>
    public IList<string> Aliases { get; } = [];

    public string Signature { get; set; } = "";

    public string Style { get; set; } = "";

    /// <summary>How many of the user's own earlier replies the draft step gets as examples of their voice (0 turns them off).</summary>
    public int StyleExamples { get; set; } = 3;

    /// <summary>
    /// The authserv-id of the user's own receiving server (e.g. <c>mx.example.com</c>): a message from the user that
    /// this server's topmost Authentication-Results header passes DKIM or DMARC for is the user's own. Empty: off.
    /// </summary>
    public string TrustedAuthServId { get; set; } = "";

    public bool IsMe(string? address) =>
        !string.IsNullOrWhiteSpace(address) &&
        (string.Equals(address.Trim(), Email.Trim(), StringComparison.OrdinalIgnoreCase) ||
         Aliases.Any(a => string.Equals(address.Trim(), a.Trim(), StringComparison.OrdinalIgnoreCase)));
}

/// <summary>The <c>ReplyDrafter:Folders</c> section: vault-relative folder names.</summary>
public sealed class FolderOptions
{
    public const string Section = "ReplyDrafter:Folders";

    public string Inbox { get; set; } = "Inbox";

    public string Archive { get; set; } = "Inbox/_archive";

    public string Failed { get; set; } = "Inbox/_failed";

    public string Sources { get; set; } = "Sources/Email";

    public string Notes { get; set; } = "Notes";

    public string Outbox { get; set; } = "Outbox";

    public string PromptRecords { get; set; } = "Outbox/_prompts";

    public string State { get; set; } = ".replydrafter";
}
