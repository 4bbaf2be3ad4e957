using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ReplyDrafter.Auth;

/// <summary>
/// Google (installed-app flow, loopback redirect, PKCE) and any OAuth2 server (RFC 8628 device flow): sign-in, refresh
/// before expiry or when asked, the refresh token kept in <see cref="TokenCacheStore"/>.
/// </summary>
internal sealed class OAuth2Tokens(OAuthOptions options, string username, TokenCacheStore store, OAuthHttp http, TimeProvider time) : IMailboxTokens
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OAuthEndpoints? _endpoints;

    // The refresh token the server refused, and what it said: asked again only after a new sign-in replaced it.
    private (string RefreshToken, string Message)? _refused;

    private string Scope => string.Join(' ', options.EffectiveScopes);

    public void Dispose() => _gate.Dispose();

    public async Task<string> SignInAsync(Func<string, CancellationToken, Task> show, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(show);
        var endpoints = await EndpointsAsync(cancellationToken);
        var answer = options.Provider == OAuthProvider.Google
            ? await BrowserSignInAsync(endpoints, show, cancellationToken)
            : await DeviceSignInAsync(endpoints, show, cancellationToken);
        Save(answer, previousRefreshToken: null);
        return username;
    }

    public async Task<AccessToken> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var saved = Load() ?? throw new SignInRequiredException($"No {options.Provider} sign-in is stored for '{username}'; run `replydrafter login` again.");
            if (_refused is { } refused && refused.RefreshToken == saved.RefreshToken)
            {
                throw new SignInRequiredException(refused.Message);
            }

            var current = new AccessToken(saved.AccessToken ?? "", saved.ExpiresAt);
            if (!forceRefresh && current.Value.Length > 0 && !current.ExpiresWithin(options.RefreshBefore, time.GetUtcNow()))
            {
                return current;
            }

            var endpoints = await EndpointsAsync(cancellationToken);
            var answer = await PostAsync(endpoints.Token, [new("grant_type", "refresh_token"), new("refresh_token", saved.RefreshToken)], cancellationToken);
            if (answer.Error is { } error)
            {
                string message = $"The {options.Provider} sign-in for '{username}' was revoked or has expired ({error}); run `replydrafter login` again.";
                _refused = (saved.RefreshToken, message);
                throw new SignInRequiredException(message);
            }

            return Save(answer, saved.RefreshToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TokenAnswer> DeviceSignInAsync(OAuthEndpoints endpoints, Func<string, CancellationToken, Task> show, CancellationToken cancellationToken)
    {
        var device = endpoints.DeviceAuthorization
            ?? throw new SignInRequiredException($"The OAuth2 server names no device_authorization_endpoint; set {nameof(OAuthOptions.DeviceAuthorizationEndpoint)}.");
        using var response = await http.Client.PostAsync(device, Form([new("scope", Scope)]), cancellationToken);
        using var document = await ReadJsonAsync(response, cancellationToken);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode || Text(root, "device_code") is not { } deviceCode || Text(root, "user_code") is not { } userCode)
        {
            throw new SignInRequiredException($"The OAuth2 server refused the device authorization ({Text(root, "error") ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        string where = Text(root, "verification_uri") ?? Text(root, "verification_url") ?? "the server's device page";
        await show($"To sign in, open {where} and enter the code {userCode}.", cancellationToken);
        var interval = TimeSpan.FromSeconds(Number(root, "interval") ?? 5);
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(Number(root, "expires_in") ?? 900);
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(interval, time, cancellationToken);
            var answer = await PostAsync(endpoints.Token, [new("grant_type", DeviceGrant), new("device_code", deviceCode)], cancellationToken);
            switch (answer.Error)
            {
                case null:
                    return answer;
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                default:
                    throw new SignInRequiredException($"The sign-in did not complete ({answer.Error}); run `replydrafter login` again.");
            }
        }

        throw new SignInRequiredException("The sign-in code expired before it was entered; run `replydrafter login` again.");
    }

    private async Task<TokenAnswer> BrowserSignInAsync(OAuthEndpoints endpoints, Func<string, CancellationToken, Task> show, CancellationToken cancellationToken)
    {
        var authorize = endpoints.Authorization ?? throw new SignInRequiredException("The OAuth2 server names no authorization_endpoint.");
        string verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        string challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        string state = Base64Url(RandomNumberGenerator.GetBytes(16));
        using var redirect = new LoopbackRedirect();
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = options.ClientId.Trim(),
            ["redirect_uri"] = redirect.RedirectUri,
            ["scope"] = Scope,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["access_type"] = "offline",
            ["prompt"] = "consent",
            ["login_hint"] = username,
        };
        string url = authorize + (authorize.Query.Length > 0 ? "&" : "?") + string.Join('&', query.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        await show($"To sign in, open this address in a browser on this computer: {url}", cancellationToken);
        var back = await redirect.WaitAsync(state, cancellationToken);
        if (!back.TryGetValue("code", out var code) || code.Length == 0)
        {
            throw new SignInRequiredException($"The sign-in was not granted ({(back.TryGetValue("error", out var error) ? error : "no code")}); run `replydrafter login` again.");
        }

        var answer = await PostAsync(
            endpoints.Token,
            [new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirect.RedirectUri), new("code_verifier", verifier)],
            cancellationToken);
        return answer.Error is { } refused
            ? throw new SignInRequiredException($"The authorization code was refused ({refused}); run `replydrafter login` again.")
            : answer;
    }

    private async Task<TokenAnswer> PostAsync(Uri endpoint, List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var response = await http.Client.PostAsync(endpoint, Form(fields), cancellationToken);
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // An outage, not a verdict on the sign-in: the caller retries later.
            throw new HttpRequestException($"The OAuth2 token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        using var document = await ReadJsonAsync(response, cancellationToken);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode || Text(root, "access_token") is not { } access)
        {
            return new TokenAnswer(null, null, default, Text(root, "error") ?? $"HTTP {(int)response.StatusCode}");
        }

        var expires = time.GetUtcNow() + TimeSpan.FromSeconds(Number(root, "expires_in") ?? 3600);
        return new TokenAnswer(access, Text(root, "refresh_token"), expires, null);
    }

    private FormUrlEncodedContent Form(List<KeyValuePair<string, string>> fields)
    {
        fields.Add(new("client_id", options.ClientId.Trim()));
        if (ClientSecret() is { } secret)
        {
            fields.Add(new("client_secret", secret));
        }

        return new FormUrlEncodedContent(fields);
    }

    private string? ClientSecret() =>
        string.IsNullOrWhiteSpace(options.ClientSecretFile) ? null : File.ReadAllText(options.ClientSecretFile).Trim();

    private async Task<OAuthEndpoints> EndpointsAsync(CancellationToken cancellationToken) =>
        _endpoints ??= await OAuthEndpoints.ResolveAsync(options, http.Client, cancellationToken);

    private AccessToken Save(TokenAnswer answer, string? previousRefreshToken)
    {
        // Servers that do not rotate refresh tokens send none on refresh: the old one stays valid.
        string refresh = answer.RefreshToken ?? previousRefreshToken
            ?? throw new SignInRequiredException("The server granted no refresh token (offline access); check the client's settings and the scopes.");
        var saved = new SavedTokens(refresh, answer.AccessToken, answer.ExpiresAt);
        store.Write(JsonSerializer.SerializeToUtf8Bytes(saved, OAuthJson.Default.SavedTokens));
        return new AccessToken(answer.AccessToken!, answer.ExpiresAt);
    }

    private SavedTokens? Load()
    {
        byte[] data = store.Read();
        if (data.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(data, OAuthJson.Default.SavedTokens);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return JsonDocument.Parse("{}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static double? Number(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= 0 ? d : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record TokenAnswer(string? AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string? Error);
}

/// <summary>What the cache keeps for an OAuth2 account.</summary>
internal sealed record SavedTokens(string RefreshToken, string? AccessToken, DateTimeOffset ExpiresAt);

[System.Text.Json.Serialization.JsonSerializable(typeof(SavedTokens))]
internal sealed partial class OAuthJson : System.Text.Json.Serialization.JsonSerializerContext;
