using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensions.Msal;

namespace ReplyDrafter.Auth;

/// <summary>Microsoft 365 / Outlook.com through MSAL.NET: device code sign-in, silent refresh, MSAL's own token cache in <see cref="TokenCacheStore"/>.</summary>
internal sealed class MicrosoftTokens(OAuthOptions options, string username, TokenCacheStore store, OAuthHttp http, TimeProvider time) : IMailboxTokens
{
    private static readonly string[] s_microsoftHosts =
        ["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.live.com"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPublicClientApplication? _app;

    // The cache as it was when MSAL gave up on it, and why: asked again only after a new sign-in changed the cache.
    private (byte[] Cache, string Message)? _refused;

    // MSAL always asks for offline_access (and openid, profile) itself, and refuses them among the scopes.
    private IReadOnlyList<string> Scopes => options.EffectiveScopes
        .Where(s => s is not ("offline_access" or "openid" or "profile")).ToList();

    public void Dispose() => _gate.Dispose();

    public async Task<string> SignInAsync(Func<string, CancellationToken, Task> show, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(show);
        var app = await AppAsync();
        var result = await app.AcquireTokenWithDeviceCode(Scopes, code => show(code.Message ?? $"Open {code.VerificationUrl} and enter the code {code.UserCode}.", cancellationToken))
            .ExecuteAsync(cancellationToken);
        return result.Account.Username;
    }

    public async Task<AccessToken> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (_refused is { } refused && store.Read().AsSpan().SequenceEqual(refused.Cache))
        {
            throw new SignInRequiredException(refused.Message);
        }

        var app = await AppAsync();
        var accounts = await app.GetAccountsAsync();
        var account = accounts.FirstOrDefault(a => string.Equals(a.Username, username, StringComparison.OrdinalIgnoreCase))
            ?? throw new SignInRequiredException($"No Microsoft sign-in is stored for '{username}'; run `replydrafter login` again.");
        try
        {
            var result = await app.AcquireTokenSilent(Scopes, account).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken);
            var token = new AccessToken(result.AccessToken, result.ExpiresOn);
            if (!forceRefresh && token.ExpiresWithin(options.RefreshBefore, time.GetUtcNow()))
            {
                result = await app.AcquireTokenSilent(Scopes, account).WithForceRefresh(true).ExecuteAsync(cancellationToken);
                token = new AccessToken(result.AccessToken, result.ExpiresOn);
            }

            return token;
        }
        catch (MsalUiRequiredException e)
        {
            string message = $"The Microsoft sign-in for '{username}' was revoked or has expired ({e.ErrorCode}); run `replydrafter login` again.";
            _refused = (store.Read(), message);
            throw new SignInRequiredException(message, e);
        }
    }

    private async Task<IPublicClientApplication> AppAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_app is null)
            {
                string authority = options.Authority.Trim().TrimEnd('/') + "/" + options.Tenant.Trim() + "/";
                bool microsoft = s_microsoftHosts.Contains(new Uri(authority).Host, StringComparer.OrdinalIgnoreCase);
                var app = PublicClientApplicationBuilder.Create(options.ClientId.Trim())
                    .WithAuthority(authority, validateAuthority: microsoft)
                    .WithInstanceDiscovery(microsoft)
                    .WithHttpClientFactory(http)
                    .Build();
                var helper = await MsalCacheHelper.CreateAsync(store.Properties);
                helper.RegisterCache(app.UserTokenCache);
                _app = app;
            }

            return _app;
        }
        finally
        {
            _gate.Release();
        }
    }
}
