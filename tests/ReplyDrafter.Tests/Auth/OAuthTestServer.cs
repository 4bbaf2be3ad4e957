using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ReplyDrafter.Auth;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Auth;

/// <summary>
/// A small OAuth2 / OIDC authority of the tests' own on loopback over HTTPS with a test certificate: discovery (in
/// Microsoft's layout, <c>/{tenant}/v2.0/.well-known/openid-configuration</c>, so MSAL accepts it), RFC 8628 device
/// authorization, the authorization-code redirect with PKCE, a token endpoint (device code, code, refresh), RFC 7662
/// introspection for Dovecot's oauth2 passdb, and controls: expire a user's access tokens, revoke a user's grant.
/// Each client ID stands for one user (<see cref="Register"/>), so tests on one server do not meet.
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _refresh = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Client, string Challenge, string Redirect)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _refreshes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pkceExchanges = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _issued = [];
    private int _refreshAttempts;

    private OAuthTestServer(WebApplication app, X509Certificate2 certificate, string caFile)
    {
        _app = app;
        _certificate = certificate;
        CaFile = caFile;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustOnlyOurs },
        };
        Http = new OAuthHttp(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) });
    }

    /// <summary>https://127.0.0.1:PORT</summary>
    public string BaseAddress { get; private set; } = "";

    /// <summary>The certificate (PEM), for Dovecot's <c>tls_ca_cert_file</c> and a child's <c>SSL_CERT_FILE</c>.</summary>
    public string CaFile { get; }

    /// <summary>An HTTP client that trusts this server's certificate (and nothing else).</summary>
    internal OAuthHttp Http { get; }

    /// <summary>A browser's view: trusts this server, does not follow redirects (the test follows the one to the loopback listener).</summary>
    public HttpClient CreateBrowser() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustOnlyOurs },
    });

    /// <summary>The authority MSAL is given: <c>BaseAddress/</c> (the tenant is appended).</summary>
    public string Authority => BaseAddress + "/";

    public string DiscoveryUrl => $"{BaseAddress}/tenant/v2.0/.well-known/openid-configuration";

    public string IntrospectionUrl => $"{BaseAddress}/introspect";

    public TimeSpan AccessLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every access and refresh token handed out, to check none leaks.</summary>
    public IReadOnlyCollection<string> Issued => [.. _issued];

    public static async Task<OAuthTestServer> StartAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificate = CreateCertificate();
        string caFile = Path.Combine(folder, "oauth-ca.pem");
        await File.WriteAllTextAsync(caFile, certificate.ExportCertificatePem());
        var builder = LoopbackWeb.CreateBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var server = new OAuthTestServer(app, certificate, caFile);
        server.Map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return server;
    }

    /// <summary>Sign-ins with <paramref name="clientId"/> are approved as <paramref name="user"/>.</summary>
    public void Register(string clientId, string user) => _users[clientId] = user;

    /// <summary>Refresh-token requests of every user, refused ones included.</summary>
    public int RefreshAttempts => Volatile.Read(ref _refreshAttempts);

    /// <summary>How many refresh-token grants were served for <paramref name="user"/>.</summary>
    public int Refreshes(string user) => _refreshes.GetValueOrDefault(user);

    /// <summary>Authorization codes exchanged for <paramref name="user"/> whose PKCE verifier matched the challenge (S256).</summary>
    public int PkceExchanges(string user) => _pkceExchanges.GetValueOrDefault(user);

    /// <summary>The user's current access tokens stop being accepted (introspection: inactive); refresh tokens stay good.</summary>
    public void ExpireAccessTokens(string user)
    {
        foreach (var grant in _access.Values.Where(g => g.User == user))
        {
            grant.Expired = true;
        }
    }

    /// <summary>The user's grant is withdrawn: access tokens inactive, refresh tokens refused with invalid_grant.</summary>
    public void Revoke(string user)
    {
        foreach (var grant in _access.Values.Concat(_refresh.Values).Where(g => g.User == user))
        {
            grant.Expired = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (string tenant) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = $"{BaseAddress}/{tenant}/v2.0",
            ["authorization_endpoint"] = $"{BaseAddress}/{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{BaseAddress}/{tenant}/oauth2/v2.0/token",
            ["device_authorization_endpoint"] = $"{BaseAddress}/{tenant}/oauth2/v2.0/devicecode",
            ["introspection_endpoint"] = IntrospectionUrl,
            ["jwks_uri"] = $"{BaseAddress}/{tenant}/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["scopes_supported"] = new[] { "openid", "offline_access" },
        }));
        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (!_users.ContainsKey(form["client_id"].ToString()))
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 400);
            }

            string deviceCode = Secret("dc");
            string userCode = RandomNumberGenerator.GetString("BCDFGHJKLMNPQRSTVWXZ", 8);
            _devices[deviceCode] = form["client_id"].ToString();
            return Results.Json(new Dictionary<string, object>
            {
                ["device_code"] = deviceCode,
                ["user_code"] = userCode,
                ["verification_uri"] = $"{BaseAddress}/device",
                ["expires_in"] = 900,
                ["interval"] = 0,
                ["message"] = $"To sign in, open {BaseAddress}/device and enter the code {userCode}.",
            });
        });
        app.MapGet("/{tenant}/oauth2/v2.0/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (!_users.ContainsKey(q["client_id"].ToString()) || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
            {
                return Results.BadRequest("PKCE (S256) and a known client are required.");
            }

            string code = Secret("code");
            _codes[code] = (q["client_id"].ToString(), q["code_challenge"].ToString(), q["redirect_uri"].ToString());
            return Results.Redirect($"{q["redirect_uri"]}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
        });
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpRequest request) => Token(await request.ReadFormAsync()));
        app.MapPost("/introspect", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return _access.TryGetValue(form["token"].ToString(), out var grant) && !grant.Expired
                ? Results.Json(new { active = true, username = grant.User })
                : Results.Json(new { active = false });
        });
    }

    private IResult Token(IFormCollection form)
    {
        string client = form["client_id"].ToString();
        string user;
        switch (form["grant_type"].ToString())
        {
            case "urn:ietf:params:oauth:grant-type:device_code" or "device_code":
                if (!_devices.TryRemove(form["device_code"].ToString(), out var deviceClient) || deviceClient != client)
                {
                    return Refuse("invalid_grant");
                }

                user = _users[client];
                break;
            case "authorization_code":
                if (!_codes.TryRemove(form["code"].ToString(), out var issued) || issued.Client != client || issued.Redirect != form["redirect_uri"].ToString() ||
                    issued.Challenge != Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))))
                {
                    return Refuse("invalid_grant");
                }

                user = _users[client];
                _pkceExchanges.AddOrUpdate(user, 1, (_, n) => n + 1);
                break;
            case "refresh_token":
                Interlocked.Increment(ref _refreshAttempts);
                if (!_refresh.TryRemove(form["refresh_token"].ToString(), out var grant) || grant.Expired)
                {
                    return Refuse("invalid_grant");
                }

                user = grant.User;
                _refreshes.AddOrUpdate(user, 1, (_, n) => n + 1);
                break;
            default:
                return Refuse("unsupported_grant_type");
        }

        string access = Secret("at");
        string refresh = Secret("rt");
        _access[access] = new Grant(user);
        _refresh[refresh] = new Grant(user);
        _issued.Add(access);
        _issued.Add(refresh);
        string oid = "00000000-0000-0000-0000-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user)))[..12].ToLowerInvariant();
        const string tid = "11111111-1111-1111-1111-111111111111";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string idToken = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"none","typ":"JWT"}""")) + "." +
            Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["ver"] = "2.0", ["iss"] = $"{BaseAddress}/{tid}/v2.0", ["aud"] = client, ["sub"] = oid, ["oid"] = oid, ["tid"] = tid,
                ["preferred_username"] = user, ["name"] = user, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
            })) + ".sig";
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = form["scope"].ToString() is { Length: > 0 } scope ? scope : "https://outlook.office.com/IMAP.AccessAsUser.All",
            ["expires_in"] = (int)AccessLifetime.TotalSeconds,
            ["ext_expires_in"] = (int)AccessLifetime.TotalSeconds,
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["id_token"] = idToken,
            ["client_info"] = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { uid = oid, utid = tid })),
        });
    }

    private static IResult Refuse(string error) =>
        Results.Json(new { error, error_description = "The grant is not valid (test authority)." }, statusCode: 400);

    private static string Secret(string prefix) => prefix + "-" + Base64Url(RandomNumberGenerator.GetBytes(24));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private bool TrustOnlyOurs(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == _certificate.GetCertHashString() &&
        (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ReplyDrafter test authority", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Kestrel on Linux needs the key in a loadable form, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class Grant(string user)
    {
        private bool _expired;

        public string User => user;

        public bool Expired
        {
            get => Volatile.Read(ref _expired);
            set => Volatile.Write(ref _expired, value);
        }
    }
}
