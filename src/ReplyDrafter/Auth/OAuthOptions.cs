namespace ReplyDrafter.Auth;

/// <summary>Who issues the tokens, which decides the sign-in flow.</summary>
public enum OAuthProvider
{
    /// <summary>Microsoft 365 / Outlook.com through MSAL: device code flow.</summary>
    Microsoft,

    /// <summary>Gmail / Google Workspace: installed-app flow with a loopback redirect and PKCE.</summary>
    Google,

    /// <summary>Any OAuth2 / OIDC server: RFC 8628 device flow, endpoints from settings or discovery.</summary>
    OAuth2,
}

/// <summary>The <c>ReplyDrafter:Imap:OAuth</c> section: how the mailbox's tokens are obtained and kept.</summary>
public sealed class OAuthOptions
{
    public OAuthProvider Provider { get; set; } = OAuthProvider.Microsoft;

    /// <summary>The application (client) ID registered with the provider.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>A file holding the client secret (Google's Desktop clients have one); never on the command line.</summary>
    public string? ClientSecretFile { get; set; }

    /// <summary>Microsoft: <c>organizations</c>, <c>consumers</c>, <c>common</c> or a tenant ID / domain.</summary>
    public string Tenant { get; set; } = "organizations";

    /// <summary>Microsoft: the sign-in host, for national clouds (e.g. <c>https://login.microsoftonline.us/</c>).</summary>
    public string Authority { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Empty: the provider's IMAP scopes.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>OAuth2: the OIDC discovery document (<c>.../.well-known/openid-configuration</c>); or the endpoints below.</summary>
    public string? DiscoveryUrl { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? DeviceAuthorizationEndpoint { get; set; }

    /// <summary>Where the token cache lives when no keyring is used; empty: beside the per-user settings file.</summary>
    public string? TokenCacheFolder { get; set; }

    /// <summary>An access token closer to its expiry than this is refreshed before a login.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The per-user configuration folder (<c>~/.config</c> or <c>$XDG_CONFIG_HOME</c>, <c>%APPDATA%</c>) + <c>replydrafter/tokens</c>, unless set.</summary>
    internal string EffectiveTokenCacheFolder => !string.IsNullOrWhiteSpace(TokenCacheFolder)
        ? TokenCacheFolder.Trim()
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "replydrafter", "tokens");

    internal IReadOnlyList<string> EffectiveScopes => Scopes.Any(s => !string.IsNullOrWhiteSpace(s))
        ? Scopes.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList()
        : Provider switch
        {
            OAuthProvider.Microsoft => ["https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"],
            OAuthProvider.Google => ["https://mail.google.com/"],
            _ => ["openid", "offline_access"],
        };
}
