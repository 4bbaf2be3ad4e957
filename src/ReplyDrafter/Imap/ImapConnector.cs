using System.Net.Sockets;
using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Options;
using ReplyDrafter.Auth;
using ReplyDrafter.Security;

namespace ReplyDrafter.Imap;

/// <summary>Opens authenticated IMAP connections from <see cref="ImapOptions"/>: certificate pin, password file or OAuth2 token, clear login errors.</summary>
internal sealed class ImapConnector(IOptions<ImapOptions> options, TimeProvider? time = null, OAuthHttp? http = null) : IDisposable
{
    private readonly ImapOptions _settings = options.Value;
    private readonly ConditionalWeakTable<ImapClient, ResponseBoundStream> _lines = new();
    private readonly Lazy<IMailboxTokens> _tokens = new(() => MailboxTokens.Create(
        options.Value.OAuth, options.Value.Username, options.Value.OAuth.EffectiveTokenCacheFolder, http ?? OAuthHttp.Default, time ?? TimeProvider.System));

    public void Dispose()
    {
        if (_tokens.IsValueCreated)
        {
            _tokens.Value.Dispose();
        }
    }

    public ImapOptions Options => _settings;

    /// <summary>
    /// For an IDLE on <paramref name="client"/>: the server may say nothing until <paramref name="until"/> ends the IDLE;
    /// from then on its answer to DONE is due within ImapClient.Timeout like any other, or the connection is dropped.
    /// </summary>
    public IDisposable Idling(ImapClient client, CancellationToken until) =>
        _lines.TryGetValue(client, out var line) ? line.BeQuiet(until) : throw new ArgumentException("Not a connection this connector made.", nameof(client));

    /// <summary>Connected and logged in. Throws <see cref="ImapLoginException"/> for what only the user can fix; network errors as they come.</summary>
    public Task<ImapClient> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(greeted: null, cancellationToken);

    /// <param name="greeted">Runs once the server has greeted, before the login: a server that refuses a login may take its time to say so.</param>
    public async Task<ImapClient> ConnectAsync(Action? greeted, CancellationToken cancellationToken)
    {
        var client = new ImapClient();
        try
        {
            var pin = CertificatePin.Parse(_settings.TrustedCertificateSha256);
            if (pin is not null)
            {
                client.ServerCertificateValidationCallback = pin.Validate;
            }

            try
            {
                await ConnectBoundedAsync(client, cancellationToken);
                greeted?.Invoke();
            }
            catch (SslHandshakeException e)
            {
                throw new ImapLoginException(
                    ImapLoginFailure.Certificate,
                    $"The certificate of IMAP server {_settings.Host}:{_settings.EffectivePort} is not trusted" +
                    (pin is null
                        ? $"; for a self-hosted server with its own certificate set {ImapOptions.Section}:TrustedCertificateSha256 to its SHA-256."
                        : $" and does not match {ImapOptions.Section}:TrustedCertificateSha256."),
                    e);
            }

            if (_settings.Auth == ImapAuth.OAuth2)
            {
                await LoginWithTokenAsync(client, cancellationToken);
                return client;
            }

            try
            {
                await client.AuthenticateAsync(_settings.Username.Trim(), ReadPassword(), cancellationToken);
            }
            catch (AuthenticationException e)
            {
                throw new ImapLoginException(ImapLoginFailure.Credentials, LoginRefused(_settings, e.Message), e);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The socket is opened here so that MailKit reads through <see cref="ResponseBoundStream"/>; MailKit still does TLS
    /// (and STARTTLS) on top of it, with the certificate callback above.
    /// </summary>
    private async Task ConnectBoundedAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // MailKit bounds its own connects by ImapClient.Timeout; a socket opened here gets the same bound.
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connectTimeout.CancelAfter(client.Timeout);
                try
                {
                    await socket.ConnectAsync(_settings.Host.Trim(), _settings.EffectivePort, connectTimeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"IMAP server {_settings.Host.Trim()}:{_settings.EffectivePort} did not accept a connection within {client.Timeout / 1000} s.");
                }
            }

            // MailKit's own bound on an answer (ImapClient.Timeout, 2 minutes), which it cannot apply to asynchronous reads.
            var stream = new ResponseBoundStream(
                new NetworkStream(socket, ownsSocket: true), _settings.MaxResponseBytes, time ?? TimeProvider.System, TimeSpan.FromMilliseconds(client.Timeout));
            _lines.AddOrUpdate(client, stream);
            await client.ConnectAsync(stream, _settings.Host.Trim(), _settings.EffectivePort, _settings.Security, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The configured folder, else the one the server marks with <paramref name="use"/>; null when neither exists.</summary>
    public static async Task<IMailFolder?> FindFolderAsync(ImapClient client, string? configured, SpecialFolder use, CancellationToken cancellationToken) =>
        (await LocateFolderAsync(client, configured, use, cancellationToken)).Folder;

    /// <summary>
    /// The configured folder; when it is not set, or set to a name the server does not have (a preset for another
    /// provider, a typo), the one the server marks with <paramref name="use"/>. <see cref="FolderLookup.MissingName"/>
    /// names the configured folder that was not found.
    /// </summary>
    public static async Task<FolderLookup> LocateFolderAsync(ImapClient client, string? configured, SpecialFolder use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? missing = null;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                return new FolderLookup(await client.GetFolderAsync(configured.Trim(), cancellationToken), null);
            }
            catch (FolderNotFoundException)
            {
                missing = configured.Trim();
            }
        }

        if ((client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) == 0)
        {
            return new FolderLookup(null, missing);
        }

        return new FolderLookup(client.GetFolder(use), missing);
    }

    internal static string LoginRefused(ImapOptions imap, string serverReason)
    {
        string host = imap.Host.Trim().ToLowerInvariant();
        string hint = host.EndsWith("gmail.com", StringComparison.Ordinal) || host.EndsWith("googlemail.com", StringComparison.Ordinal)
            ? " Gmail needs an app password (Google Account > Security > 2-Step Verification > App passwords), not the account password."
            : host.EndsWith("outlook.com", StringComparison.Ordinal) || host.EndsWith("hotmail.com", StringComparison.Ordinal) || host.EndsWith("live.com", StringComparison.Ordinal)
                ? $" Outlook.com needs an app password (account.microsoft.com > Security > App passwords), not the account password; where Microsoft requires OAuth2, set {ImapOptions.Section}:Auth to OAuth2 and run 'replydrafter login' (see README)."
                : "";
        return $"IMAP login to {imap.Host.Trim()}:{imap.EffectivePort} as '{imap.Username.Trim()}' was refused ({serverReason.Trim().TrimEnd('.')}); check {ImapOptions.Section}:Username and Password.{hint}";
    }

    /// <summary>
    /// A refused token is refreshed once and tried again (it may have expired or been revoked since it was cached); a
    /// refresh the server refuses means only a new sign-in helps, which stops here with one line and no retry loop.
    /// </summary>
    private async Task LoginWithTokenAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(forceRefresh: false, cancellationToken);
        try
        {
            await client.AuthenticateAsync(Mechanism(client, token), cancellationToken);
            return;
        }
        catch (AuthenticationException)
        {
        }

        token = await TokenAsync(forceRefresh: true, cancellationToken);
        try
        {
            await client.AuthenticateAsync(Mechanism(client, token), cancellationToken);
        }
        catch (AuthenticationException e)
        {
            throw new ImapLoginException(
                ImapLoginFailure.Credentials,
                $"IMAP login to {_settings.Host.Trim()}:{_settings.EffectivePort} as '{_settings.Username.Trim()}' with a fresh OAuth2 token was refused ({e.Message.Trim().TrimEnd('.')}); " +
                $"check that {ImapOptions.Section}:Username is the account you signed in with and that IMAP is allowed for it, then run `replydrafter login` again.",
                e);
        }
    }

    private async Task<AccessToken> TokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        try
        {
            return await _tokens.Value.GetAccessTokenAsync(forceRefresh, cancellationToken);
        }
        catch (SignInRequiredException e)
        {
            throw new ImapLoginException(ImapLoginFailure.Credentials, e.Message, e);
        }
    }

    /// <summary>OAUTHBEARER (RFC 7628) where the server offers it, else XOAUTH2 (all that Outlook offers).</summary>
    private SaslMechanism Mechanism(ImapClient client, AccessToken token)
    {
        var credentials = new System.Net.NetworkCredential(_settings.Username.Trim(), token.Value);
        return client.AuthenticationMechanisms.Contains("OAUTHBEARER")
            ? new SaslMechanismOAuthBearer(credentials)
            : new SaslMechanismOAuth2(credentials);
    }

    private string ReadPassword()
    {
        if (string.IsNullOrWhiteSpace(_settings.PasswordFile))
        {
            return _settings.Password ?? "";
        }

        // The same rules as at start: the file may have been swapped or loosened since.
        var credentials = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
        var path = SecretFile.Locate(_settings.PasswordFile, credentials);
        return SecretFile.TryRead(path, credentials, out var password, out var problem)
            ? password
            : throw new ImapLoginException(ImapLoginFailure.Settings, $"{ImapOptions.Section}:PasswordFile: cannot use '{path}' ({problem}).");
    }
}

/// <summary>A folder found by <see cref="ImapConnector.LocateFolderAsync"/>; <paramref name="MissingName"/>: the configured name the server does not have.</summary>
internal sealed record FolderLookup(IMailFolder? Folder, string? MissingName);
