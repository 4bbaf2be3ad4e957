namespace ReplyDrafter.Auth;

/// <summary>Checks an <see cref="OAuthOptions"/> section; each message names its key under <c>prefix</c>.</summary>
internal static class OAuthOptionsValidator
{
    public static IEnumerable<string> Check(OAuthOptions options, string prefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
        {
            yield return $"{prefix}Provider must be Microsoft, Google or OAuth2 (got '{options.Provider}').";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            yield return $"{prefix}ClientId must be set: the application (client) ID you registered with {options.Provider} (see the README).";
        }

        if (!string.IsNullOrWhiteSpace(options.ClientSecretFile) && !File.Exists(options.ClientSecretFile))
        {
            yield return $"{prefix}ClientSecretFile '{options.ClientSecretFile}' does not exist.";
        }
        else if (options.Provider == OAuthProvider.Google && string.IsNullOrWhiteSpace(options.ClientSecretFile))
        {
            yield return $"{prefix}ClientSecretFile must name a file holding your Google OAuth client's secret.";
        }

        if (options.Provider == OAuthProvider.Microsoft)
        {
            if (string.IsNullOrWhiteSpace(options.Tenant) || options.Tenant.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
            {
                yield return $"{prefix}Tenant must be organizations, consumers, common, a tenant ID or a domain (got '{options.Tenant}').";
            }

            if (!IsHttps(options.Authority))
            {
                yield return $"{prefix}Authority must be an https URL such as https://login.microsoftonline.com/ (got '{options.Authority}').";
            }

            // A public client has no secret, and MSAL finds its endpoints from Authority and Tenant: set, they would be ignored.
            if (!string.IsNullOrWhiteSpace(options.ClientSecretFile))
            {
                yield return $"{prefix}ClientSecretFile is not used with Microsoft (the app is a public client, without a secret); remove it.";
            }

            foreach (var (key, value) in new[] { ("DiscoveryUrl", options.DiscoveryUrl), ("TokenEndpoint", options.TokenEndpoint), ("DeviceAuthorizationEndpoint", options.DeviceAuthorizationEndpoint) })
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    yield return $"{prefix}{key} is not used with Microsoft (set {prefix}Authority and {prefix}Tenant instead); remove it.";
                }
            }
        }
        else
        {
            // An http endpoint would be skipped silently for the discovered one; say so instead.
            foreach (var (key, value) in new[] { ("TokenEndpoint", options.TokenEndpoint), ("DeviceAuthorizationEndpoint", options.DeviceAuthorizationEndpoint) })
            {
                if (!string.IsNullOrWhiteSpace(value) && !IsHttps(value))
                {
                    yield return $"{prefix}{key} must be an https URL (got '{value}').";
                }
            }
        }

        if (options.Provider == OAuthProvider.OAuth2)
        {
            bool discovery = !string.IsNullOrWhiteSpace(options.DiscoveryUrl);
            if (discovery && !IsHttps(options.DiscoveryUrl))
            {
                yield return $"{prefix}DiscoveryUrl must be an https URL (got '{options.DiscoveryUrl}').";
            }
            else if (!discovery && (!IsHttps(options.TokenEndpoint) || !IsHttps(options.DeviceAuthorizationEndpoint)))
            {
                yield return $"{prefix}DiscoveryUrl (or both {prefix}TokenEndpoint and {prefix}DeviceAuthorizationEndpoint) must be set to https URLs.";
            }
        }

        if (options.RefreshBefore < TimeSpan.Zero || options.RefreshBefore > TimeSpan.FromMinutes(30))
        {
            yield return $"{prefix}RefreshBefore must be from 00:00:00 to 00:30:00 (got '{options.RefreshBefore}').";
        }
    }

    private static bool IsHttps(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
