using System.CommandLine;
using ReplyDrafter.Auth;
using ReplyDrafter.Hosting;
using ReplyDrafter.Imap;
using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary><c>init --imap-provider microsoft|google|oauth2</c>: the mailbox signs in with OAuth2 instead of a password.</summary>
internal static partial class InitCommand
{
    private const string OAuthPrefix = "ReplyDrafter:Imap:OAuth:";
    private static readonly string[] s_oauthProviders = ["microsoft", "google", "oauth2"];

    // The IMAP preset (server, folders) of each provider OAuth2 signs in to by name.
    private static readonly (OAuthProvider Provider, string Preset)[] s_oauthPresets = [(OAuthProvider.Microsoft, "outlook"), (OAuthProvider.Google, "gmail")];

    private static OAuthFlags OAuthOptionsFor() => new(
        new Option<string?>("--imap-client-id") { Description = "OAuth2: the client (application) ID you registered with Microsoft, Google or your server.", HelpName = "ID" },
        new Option<string?>("--imap-client-secret-file") { Description = "OAuth2 (Google): a file holding the client secret alone (0600), or - for standard input; never printed.", HelpName = "FILE" },
        new Option<string?>("--imap-client-secret") { Hidden = true },
        new Option<string?>("--imap-tenant") { Description = "Microsoft: organizations (work/school), consumers (Outlook.com) or your tenant ID.", HelpName = "TENANT" },
        new Option<string?>("--imap-oauth-discovery-url") { Description = "OAuth2: your server's .well-known/openid-configuration URL.", HelpName = "URL" });

    /// <summary>Read before the other secrets, after checking that only one flag has standard input.</summary>
    private static string? ReadClientSecret(CliConsole cli, ParseResult result, OAuthFlags oauth, string? apiKeyFile, string? passwordFile)
    {
        if (result.GetValue(oauth.ClientSecret) is not null)
        {
            throw new UsageException("init: --imap-client-secret would put the secret on the command line, where 'ps' and the shell's history show it; use --imap-client-secret-file FILE (a file only you can read), --imap-client-secret-file - (standard input), or leave it out and type it at the prompt.");
        }

        var file = result.GetValue(oauth.ClientSecretFile);
        var other = apiKeyFile == "-" ? "--api-key-file" : passwordFile == "-" ? "--imap-password-file" : null;
        if (file == "-" && other is not null)
        {
            throw new UsageException($"init: only one of {other} and --imap-client-secret-file can read standard input ('-'); give the other a file.");
        }

        return SecretArguments.Read(cli.Input, ("--imap-client-secret-file", file), ("--imap-client-secret-file", null)).First;
    }

    /// <summary>The OAuth2 provider <c>--imap-provider</c> names; without the flag, the one the settings file already signs in with.</summary>
    private static OAuthProvider? OAuthProviderOf(Questions ask, InitFlags flags)
    {
        if (flags.ImapProvider is { } name)
        {
            return s_oauthProviders.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase) ? LoginCommand.ParseProvider(name) : null;
        }

        return string.Equals(ask.Current("ReplyDrafter:Imap:Auth"), nameof(ImapAuth.OAuth2), StringComparison.OrdinalIgnoreCase)
            ? Enum.TryParse<OAuthProvider>(ask.Current(OAuthPrefix + "Provider") ?? nameof(OAuthProvider.Microsoft), ignoreCase: true, out var current) ? current : OAuthProvider.Microsoft
            : null;
    }

    /// <summary>
    /// On a terminal, for an address at Microsoft or Google and no provider named: OAuth2 or an app password. Microsoft
    /// 365 has turned password logins to IMAP off, and many Google accounts cannot make app passwords, so a first run
    /// that only asked for a password would end at a refused login.
    /// </summary>
    private static OAuthProvider? AskSignIn(Questions ask, InitFlags flags, ImapPreset? preset)
    {
        var provider = s_oauthPresets.Where(p => p.Preset == preset?.Name).Select(p => (OAuthProvider?)p.Provider).FirstOrDefault();
        if (provider is null || !ask.Interactive || flags.ImapProvider is not null || flags.ImapPassword is not null)
        {
            return null;
        }

        const string SignIn = "sign in with OAuth2 (your own registered app; needed where passwords are turned off)";
        const string Password = "an app password";
        return ask.Select($"How should ReplyDrafter log in to {preset!.Name}?", [SignIn, Password], SignIn) == SignIn ? provider : null;
    }

    /// <summary>Server and folders, filled in only when the flag names the provider (a rerun keeps the current ones).</summary>
    private static ImapPreset? OAuthPreset(OAuthProvider provider, InitFlags flags) =>
        flags.ImapProvider is null ? null : s_oauthPresets.Where(p => p.Provider == provider).Select(p => ImapPresets.Find(p.Preset)).FirstOrDefault();

    private static string OAuthAdvice(OAuthProvider provider) => provider switch
    {
        OAuthProvider.Microsoft => "sign in with the app you registered in Microsoft Entra ID (IMAP.AccessAsUser.All, public client flows allowed); a code and an address are printed, open it on any device (README: Signing in with OAuth2).",
        OAuthProvider.Google => "sign in with your own Google Cloud OAuth client (Desktop app): its ID and secret, then an address to open in a browser on this computer (README: Signing in with OAuth2).",
        _ => "sign in at your OAuth2 server (device flow): its discovery URL and the client ID, then an address and a code are printed.",
    };

    private static ImapOptions AskOAuth(Questions ask, InitFlags flags, OAuthProvider provider, ImapOptions imap)
    {
        var pin = flags.ImapCertificateSha256 ?? ask.Current("ReplyDrafter:Imap:TrustedCertificateSha256");
        if (pin is not null && CertificatePin.Parse(pin) is null)
        {
            throw new UsageException($"init: --imap-certificate-sha256 must be a SHA-256 (64 hex digits, colons allowed; got '{pin}').");
        }

        imap.TrustedCertificateSha256 = pin;
        imap.Auth = ImapAuth.OAuth2;
        var oauth = imap.OAuth;
        oauth.Provider = provider;

        // Another provider's client, tenant or secret means nothing to this one.
        bool same = string.Equals(ask.Current(OAuthPrefix + "Provider"), provider.ToString(), StringComparison.OrdinalIgnoreCase);
        string? Kept(string key) => same ? ask.Current(OAuthPrefix + key) : null;
        oauth.ClientId = ask.Text("--imap-client-id", flags.ImapClientId, Kept("ClientId"), "OAuth client (application) ID you registered", required: true)!.Trim();
        switch (provider)
        {
            case OAuthProvider.Microsoft:
                oauth.Tenant = ask.Text("--imap-tenant", flags.ImapTenant, Kept("Tenant") ?? oauth.Tenant, "Tenant: organizations (work or school), consumers (Outlook.com) or a tenant ID", required: true)!.Trim();
                // Set by hand for a national cloud, perhaps before the first init: kept whatever the provider was.
                oauth.Authority = ask.Current(OAuthPrefix + "Authority") ?? oauth.Authority;
                break;
            case OAuthProvider.Google:
                oauth.ClientSecretFile = ask.Secret("--imap-client-secret-file", flags.ImapClientSecret, same ? OAuthPrefix + "ClientSecretFile" : null, "OAuth client secret") is { } secret
                    ? WriteClientSecret(ask.FilePath, secret)
                    : Kept("ClientSecretFile") ?? throw new UsageException("init: --imap-client-secret-file is required for google (your Desktop app client's secret; no terminal to ask on, and no current value).");

                // Google's own discovery document unless the settings file names another (a test authority, a proxy).
                oauth.DiscoveryUrl = Kept("DiscoveryUrl");
                break;
            default:
                oauth.TokenEndpoint = Kept("TokenEndpoint");
                oauth.DeviceAuthorizationEndpoint = Kept("DeviceAuthorizationEndpoint");
                oauth.DiscoveryUrl = ask.Text("--imap-oauth-discovery-url", flags.ImapOAuthDiscoveryUrl, Kept("DiscoveryUrl"), "OIDC discovery URL (https://.../.well-known/openid-configuration)", required: oauth.TokenEndpoint is null)?.Trim();
                oauth.ClientSecretFile = flags.ImapClientSecret is { } given ? WriteClientSecret(ask.FilePath, given) : Kept("ClientSecretFile");
                break;
        }

        // The daemon finds the tokens beside the settings file it reads, wherever init was told to write it.
        string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ask.FilePath))!, "tokens");
        oauth.TokenCacheFolder = ask.Current(OAuthPrefix + "TokenCacheFolder")
            ?? (string.Equals(beside, oauth.EffectiveTokenCacheFolder, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) ? null : beside);
        if (OAuthOptionsValidator.Check(oauth, OAuthPrefix).FirstOrDefault() is { } problem)
        {
            throw new UsageException("init: " + problem);
        }

        return imap;
    }

    /// <summary>The secret goes into a file of its own beside the settings file (0600 from the start), which the settings name.</summary>
    private static string WriteClientSecret(string userFile, string secret)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(userFile))!;
        Security.PrivateFiles.CreateFolder(folder);
        string path = Path.Combine(folder, "oauth-client-secret");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(secret.Trim());
        }

        Security.PrivateFiles.Restrict(path);
        return path;
    }

    private static Task<string?> SignInAsync(IAnsiConsole console, ImapOptions imap, OAuthHttp http, CancellationToken cancellationToken) =>
        LoginCommand.SignInAndCheckAsync(
            imap,
            http,
            TimeProvider.System,
            (line, _) =>
            {
                console.WriteLine(line);
                return Task.CompletedTask;
            },
            cancellationToken);

    /// <summary>The sign-in keys the daemon reads; a password (or another provider's keys) would contradict them.</summary>
    private static void WriteSignIn(UserSettingsFile file, ImapOptions imap)
    {
        if (imap.Auth != ImapAuth.OAuth2)
        {
            if (file.Get("ReplyDrafter:Imap:Auth") is not null)
            {
                file.Set("ReplyDrafter:Imap:Auth", nameof(ImapAuth.Password));
            }

            return;
        }

        var oauth = imap.OAuth;
        bool microsoft = oauth.Provider == OAuthProvider.Microsoft;
        bool generic = oauth.Provider == OAuthProvider.OAuth2;
        if (!string.Equals(file.Get(OAuthPrefix + "Provider"), oauth.Provider.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            // Another provider's scopes would be asked of this one.
            file.Remove(OAuthPrefix + "Scopes");
        }

        file.Set("ReplyDrafter:Imap:Auth", nameof(ImapAuth.OAuth2));
        file.Remove("ReplyDrafter:Imap:Password");
        file.Remove("ReplyDrafter:Imap:PasswordFile");
        Put("Provider", oauth.Provider.ToString());
        Put("ClientId", oauth.ClientId);
        Put("ClientSecretFile", microsoft ? null : oauth.ClientSecretFile);
        Put("Tenant", microsoft ? oauth.Tenant : null);
        Put("Authority", microsoft && oauth.Authority != new OAuthOptions().Authority ? oauth.Authority : null);
        Put("DiscoveryUrl", microsoft ? null : oauth.DiscoveryUrl);
        Put("TokenEndpoint", generic ? oauth.TokenEndpoint : null);
        Put("DeviceAuthorizationEndpoint", generic ? oauth.DeviceAuthorizationEndpoint : null);
        Put("TokenCacheFolder", oauth.TokenCacheFolder);

        // A key the answers leave empty goes: a value left from another provider would contradict them.
        void Put(string key, string? value)
        {
            if (value is null)
            {
                file.Remove(OAuthPrefix + key);
            }
            else
            {
                file.Set(OAuthPrefix + key, value);
            }
        }
    }

    private sealed record OAuthFlags(Option<string?> ClientId, Option<string?> ClientSecretFile, Option<string?> ClientSecret, Option<string?> Tenant, Option<string?> DiscoveryUrl);
}
