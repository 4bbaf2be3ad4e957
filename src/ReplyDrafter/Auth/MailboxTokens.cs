using System.Security.Cryptography;
using System.Text;

namespace ReplyDrafter.Auth;

/// <summary>Makes the <see cref="IMailboxTokens"/> for a provider, with its cache in <c>folder</c>.</summary>
internal static class MailboxTokens
{
    public static IMailboxTokens Create(OAuthOptions options, string username, string cacheFolder, OAuthHttp http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = Store(options, username, cacheFolder);
        return options.Provider == OAuthProvider.Microsoft
            ? new MicrosoftTokens(options, username.Trim(), store, http, time)
            : new OAuth2Tokens(options, username.Trim(), store, http, time);
    }

    /// <summary>One cache per client (MSAL's holds many accounts); per account for the others.</summary>
    public static TokenCacheStore Store(OAuthOptions options, string username, string cacheFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        string key = options.Provider == OAuthProvider.Microsoft
            ? $"{options.Authority.Trim()}|{options.Tenant.Trim()}|{options.ClientId.Trim()}"
            : $"{options.Provider}|{options.DiscoveryUrl}|{options.TokenEndpoint}|{options.ClientId.Trim()}|{username.Trim().ToUpperInvariant()}";
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return TokenCacheStore.Open(cacheFolder, $"{options.Provider.ToString().ToLowerInvariant()}-{hash}.cache");
    }
}
