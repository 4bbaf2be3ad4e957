using MailKit.Security;
using ReplyDrafter.Auth;

namespace ReplyDrafter.Imap;

/// <summary>The <c>ReplyDrafter:Imap</c> section: an optional mailbox source and Drafts-folder sink. Empty Host = off.</summary>
public sealed class ImapOptions
{
    public const string Section = "ReplyDrafter:Imap";

    public string Host { get; set; } = "";

    /// <summary>0 means the usual port for <see cref="Security"/> (993 for SslOnConnect, 143 otherwise).</summary>
    public int Port { get; set; }

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.SslOnConnect;

    public string Username { get; set; } = "";

    /// <summary>Password (or app password), or OAuth2 tokens from <c>replydrafter login</c> (<see cref="OAuth"/>).</summary>
    public ImapAuth Auth { get; set; } = ImapAuth.Password;

    /// <summary>The <c>ReplyDrafter:Imap:OAuth</c> section, used when <see cref="Auth"/> is OAuth2.</summary>
    public OAuthOptions OAuth { get; } = new();

    /// <summary>Also from the environment (<c>ReplyDrafter__Imap__Password</c>) through standard configuration.</summary>
    public string? Password { get; set; }

    /// <summary>A file holding the password (systemd credentials, Docker secrets); read at every login.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Folders watched for new mail; empty means <c>INBOX</c>. The first one is watched with IDLE.</summary>
    public IList<string> Folders { get; } = [];

    /// <summary>
    /// Empty, or a name the server does not have: the folder the server marks <c>\Drafts</c> (SPECIAL-USE). None at all:
    /// drafts wait in imap.db (and are in Outbox/) until one exists.
    /// </summary>
    public string? DraftsFolder { get; set; }

    /// <summary>Empty: the folder the server marks <c>\Sent</c>.</summary>
    public string? SentFolder { get; set; }

    /// <summary>How far back (by the server's arrival date, INTERNALDATE) a first connection or a UIDVALIDITY change looks.</summary>
    public TimeSpan Since { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Check period for servers without IDLE, and for the folders after the first one.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Quote the original below the draft, as a mail client's reply does.</summary>
    public bool QuoteOriginal { get; set; } = true;

    /// <summary>SHA-256 of a self-hosted server's certificate (hex, colons allowed): trusted despite chain errors. Validation is never off.</summary>
    public string? TrustedCertificateSha256 { get; set; }

    /// <summary>First wait before reconnecting; later waits double (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest wait between attempts. Short on purpose: a failed attempt on a server that is down costs one refused
    /// TCP connect, and a server back from an outage is found again within this time.
    /// </summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most the server may send in answer to one command (or during one IDLE) before the connection is dropped:
    /// twice the default <c>Inbox:MaxItemBytes</c>, so the largest message allowed plus its summaries fits.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 128L * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IReadOnlyList<string> WatchedFolders =>
        Folders.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).Distinct(StringComparer.Ordinal).DefaultIfEmpty("INBOX").ToList();

    public int EffectivePort => Port != 0 ? Port : Security == SecureSocketOptions.SslOnConnect ? 993 : 143;

    /// <summary>The key of the source state: one mailbox per user, host and port.</summary>
    public string Account => $"{Username.Trim()}@{Host.Trim()}:{EffectivePort}";
}

/// <summary>How the IMAP login proves who it is.</summary>
public enum ImapAuth
{
    Password,

    /// <summary>XOAUTH2 or OAUTHBEARER with a token from <c>replydrafter login</c>.</summary>
    OAuth2,
}
