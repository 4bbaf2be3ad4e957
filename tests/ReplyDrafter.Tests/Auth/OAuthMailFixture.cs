using MailKit.Security;
using ReplyDrafter.Auth;
using ReplyDrafter.Imap;
using ReplyDrafter.Tests.Imap;

namespace ReplyDrafter.Tests.Auth;

[CollectionDefinition(Name)]
public sealed class OAuthMailGroup : ICollectionFixture<OAuthMailFixture>
{
    public const string Name = "OAuthMail";
}

/// <summary>The test authority and a Dovecot whose oauth2 passdb asks it (RFC 7662 over HTTPS), shared by the collection.</summary>
public sealed class OAuthMailFixture : IAsyncLifetime
{
    private readonly string _folder = TestScratch.Combine("oauth", Guid.NewGuid().ToString("N"));

    public OAuthTestServer Identity { get; private set; } = null!;

    public DovecotServer Mail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Identity = await OAuthTestServer.StartAsync(_folder);
        Mail = new DovecotServer { OAuth2IntrospectionUrl = Identity.IntrospectionUrl, OAuth2CaFile = Identity.CaFile };
        await Mail.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Mail.DisposeAsync();
        await Identity.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>IMAP settings for a fresh user signing in with <paramref name="provider"/>, tokens under <paramref name="cacheFolder"/>.</summary>
    public (ImapOptions Options, DovecotUser User) NewAccount(OAuthProvider provider, string cacheFolder)
    {
        var user = Mail.NewUser();
        string clientId = $"client-{user.Name}-{Guid.NewGuid():N}";
        Identity.Register(clientId, user.Name);
        var options = new ImapOptions
        {
            Host = "127.0.0.1",
            Port = Mail.Port,
            Security = SecureSocketOptions.None,
            Username = user.Name,
            Auth = ImapAuth.OAuth2,
            ReconnectDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(4),
        };
        options.OAuth.Provider = provider;
        options.OAuth.ClientId = clientId;
        options.OAuth.Tenant = "tenant";
        options.OAuth.Authority = Identity.Authority;
        options.OAuth.TokenCacheFolder = cacheFolder;
        if (provider != OAuthProvider.Microsoft)
        {
            options.OAuth.DiscoveryUrl = Identity.DiscoveryUrl;
        }

        if (provider == OAuthProvider.Google)
        {
            options.OAuth.ClientSecretFile = Path.Combine(cacheFolder, "..", "client-secret");
            Directory.CreateDirectory(cacheFolder);
            File.WriteAllText(options.OAuth.ClientSecretFile, "test-client-secret\n");
        }

        return (options, user);
    }
}
