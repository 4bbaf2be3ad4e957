using System.Text.Json;

namespace ReplyDrafter.Auth;

/// <summary>The endpoints of an OAuth2 server: from its OIDC discovery document, or from settings.</summary>
internal sealed record OAuthEndpoints(Uri Token, Uri? DeviceAuthorization, Uri? Authorization)
{
    public const string GoogleDiscovery = "https://accounts.google.com/.well-known/openid-configuration";

    public static async Task<OAuthEndpoints> ResolveAsync(OAuthOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        string? discovery = !string.IsNullOrWhiteSpace(options.DiscoveryUrl) ? options.DiscoveryUrl.Trim()
            : options.Provider == OAuthProvider.Google ? GoogleDiscovery
            : null;
        if (discovery is null)
        {
            return new OAuthEndpoints(new Uri(options.TokenEndpoint!.Trim()), new Uri(options.DeviceAuthorizationEndpoint!.Trim()), null);
        }

        using var response = await http.GetAsync(new Uri(discovery), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = document.RootElement;
        var token = HttpsUri(root, "token_endpoint")
            ?? throw new InvalidDataException($"The discovery document {discovery} names no https token_endpoint.");
        return new OAuthEndpoints(
            HttpsUri(options.TokenEndpoint) ?? token,
            HttpsUri(options.DeviceAuthorizationEndpoint) ?? HttpsUri(root, "device_authorization_endpoint"),
            HttpsUri(root, "authorization_endpoint"));
    }

    private static Uri? HttpsUri(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? HttpsUri(value.GetString())
            : null;

    private static Uri? HttpsUri(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;
}
