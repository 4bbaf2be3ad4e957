using MailKit.Security;

namespace ReplyDrafter.Imap;

/// <summary>
/// What <c>init</c> knows about a mail provider: where its IMAP server is, what its Drafts and Sent folders are called
/// and what the user must do before the login works.
/// </summary>
/// <param name="Name">The name <c>--imap-provider</c> takes.</param>
/// <param name="Aliases">Other names for it (<c>google</c> for gmail).</param>
/// <param name="Domains">Address domains that mean this provider (recognised from the user's address).</param>
/// <param name="DraftsFolder">Null: found by SPECIAL-USE.</param>
/// <param name="SentFolder">Null: found by SPECIAL-USE.</param>
/// <param name="Advice">One line printed by <c>init</c>: what the provider needs for an IMAP login.</param>
internal sealed record ImapPreset(
    string Name,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Domains,
    string Host,
    int Port,
    SecureSocketOptions Security,
    string? DraftsFolder,
    string? SentFolder,
    string Advice)
{
    public bool Answers(string name) =>
        Name.Equals(name, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The providers <c>init --imap-provider</c> knows. Only INBOX is watched for all of them: Gmail's <c>[Gmail]/All Mail</c>
/// holds every message again (sent ones included) and must never be a watched folder.
/// </summary>
internal static class ImapPresets
{
    public static IReadOnlyList<ImapPreset> All { get; } =
    [
        new(
            "gmail", ["google"], ["gmail.com", "googlemail.com"],
            "imap.gmail.com", 993, SecureSocketOptions.SslOnConnect, "[Gmail]/Drafts", "[Gmail]/Sent Mail",
            "Gmail needs an app password: turn on 2-Step Verification, then Google Account > Security > App passwords; the account password is refused. Without app passwords: init --imap-provider google (OAuth2)."),
        new(
            "outlook", ["microsoft", "office365", "hotmail"], ["outlook.com", "hotmail.com", "live.com", "msn.com"],
            "outlook.office365.com", 993, SecureSocketOptions.SslOnConnect, "Drafts", "Sent Items",
            "Outlook.com / Microsoft 365 needs an app password (account.microsoft.com > Security > App passwords) where the account still allows password sign-in; mailboxes that require OAuth2: init --imap-provider microsoft."),
        new(
            "fastmail", [], ["fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "messagingengine.com"],
            "imap.fastmail.com", 993, SecureSocketOptions.SslOnConnect, "Drafts", "Sent",
            "Fastmail needs an app password: Settings > Privacy & Security > Integrations > App passwords (IMAP access)."),
        new(
            "icloud", ["apple"], ["icloud.com", "me.com", "mac.com"],
            "imap.mail.me.com", 993, SecureSocketOptions.SslOnConnect, "Drafts", "Sent Messages",
            "iCloud Mail needs an app-specific password: account.apple.com > Sign-In and Security > App-Specific Passwords."),
        new(
            "yahoo", [], ["yahoo.com", "ymail.com", "rocketmail.com"],
            "imap.mail.yahoo.com", 993, SecureSocketOptions.SslOnConnect, "Draft", "Sent",
            "Yahoo Mail needs an app password: Account Info > Account Security > Generate app password."),
    ];

    /// <summary>The names <c>--imap-provider</c> takes, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>The preset named <paramref name="name"/> (or one of its aliases); null when there is none.</summary>
    public static ImapPreset? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : All.FirstOrDefault(p => p.Answers(name.Trim()));

    /// <summary>The preset whose domain the address is at (<c>ada@googlemail.com</c> is gmail); null for any other domain.</summary>
    public static ImapPreset? ForAddress(string? address)
    {
        int at = address?.LastIndexOf('@') ?? -1;
        if (at < 0)
        {
            return null;
        }

        string domain = address![(at + 1)..].Trim().TrimEnd('>').ToLowerInvariant();
        return All.FirstOrDefault(p => p.Domains.Contains(domain, StringComparer.Ordinal));
    }
}
