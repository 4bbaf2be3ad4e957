using ReplyDrafter.Tests.Cli;

namespace ReplyDrafter.Tests.Auth;

/// <summary>Each wrong Imap:Auth / Imap:OAuth combination stops the program at start with one line naming the key.</summary>
public sealed class OAuthOptionsTests : IDisposable
{
    private readonly TempVault _vault = new();

    [Theory]
    [InlineData("ReplyDrafter:Imap:Auth", "--ReplyDrafter:Imap:Auth=Token")]
    [InlineData("ReplyDrafter:Imap:OAuth:Provider", "--ReplyDrafter:Imap:OAuth:Provider=Yahoo", "--ReplyDrafter:Imap:OAuth:ClientId=app")]
    [InlineData("ReplyDrafter:Imap:OAuth:ClientId", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft")]
    [InlineData("ReplyDrafter:Imap:OAuth:ClientSecretFile", "--ReplyDrafter:Imap:OAuth:Provider=Google", "--ReplyDrafter:Imap:OAuth:ClientId=app")]
    [InlineData("ReplyDrafter:Imap:OAuth:ClientSecretFile", "--ReplyDrafter:Imap:OAuth:Provider=Google", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:ClientSecretFile=/nonexistent/secret")]
    [InlineData("ReplyDrafter:Imap:OAuth:ClientSecretFile", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:ClientSecretFile={secret}")]
    [InlineData("ReplyDrafter:Imap:OAuth:Tenant", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:Tenant=contoso/../x")]
    [InlineData("ReplyDrafter:Imap:OAuth:Authority", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:Authority=http://login.microsoftonline.com/")]
    [InlineData("ReplyDrafter:Imap:OAuth:DiscoveryUrl", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:DiscoveryUrl=https://id.example.com/.well-known/openid-configuration")]
    [InlineData("ReplyDrafter:Imap:OAuth:DiscoveryUrl", "--ReplyDrafter:Imap:OAuth:Provider=OAuth2", "--ReplyDrafter:Imap:OAuth:ClientId=app")]
    [InlineData("ReplyDrafter:Imap:OAuth:DiscoveryUrl", "--ReplyDrafter:Imap:OAuth:Provider=OAuth2", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:DiscoveryUrl=http://id.example.com/.well-known/openid-configuration")]
    [InlineData("ReplyDrafter:Imap:OAuth:TokenEndpoint", "--ReplyDrafter:Imap:OAuth:Provider=OAuth2", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:DiscoveryUrl=https://id.example.com/.well-known/openid-configuration", "--ReplyDrafter:Imap:OAuth:TokenEndpoint=http://id.example.com/token")]
    [InlineData("ReplyDrafter:Imap:OAuth:RefreshBefore", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:RefreshBefore=01:00:00")]
    [InlineData("ReplyDrafter:Imap:OAuth:RefreshBefore", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:OAuth:RefreshBefore=soon")]
    [InlineData("ReplyDrafter:Imap:Password", "--ReplyDrafter:Imap:OAuth:Provider=Microsoft", "--ReplyDrafter:Imap:OAuth:ClientId=app", "--ReplyDrafter:Imap:Password=hunter2")]
    public async Task Run_BadSignInSettings_Exit2OneLineNamingTheKey(string key, params string[] settings)
    {
        string secret = _vault.Path("client-secret");
        File.WriteAllText(secret, "s3cret\n");
        string[] args =
        [
            "run", "--once", "--vault", _vault.Root,
            "--ReplyDrafter:Llm:Provider=OpenAI",
            "--ReplyDrafter:Llm:Endpoint=http://127.0.0.1:9/v1",
            "--ReplyDrafter:Llm:Deployment=model",
            "--ReplyDrafter:Me:Name=Ada Lovelace",
            "--ReplyDrafter:Me:Email=ada@example.com",
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=ada@example.com",
            "--ReplyDrafter:Imap:Auth=OAuth2",
            .. settings.Select(s => s.Replace("{secret}", secret, StringComparison.Ordinal)),
        ];

        var (code, output, error) = await CommandLineTests.InvokeAsync(args);

        Assert.True(code == 2, output + error);
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Trim());
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    public void Dispose() => _vault.Dispose();
}
