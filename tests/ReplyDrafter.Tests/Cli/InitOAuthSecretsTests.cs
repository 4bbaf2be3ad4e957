namespace ReplyDrafter.Tests.Cli;

/// <summary>The OAuth client secret for <c>init</c> follows the other secrets' rules: never on argv, one flag on standard input.</summary>
public sealed class InitOAuthSecretsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Init_ClientSecretOnArgv_Exit2PointingAtTheSafeWays()
    {
        var vault = _folder.Combine("vault");

        var (code, output, error) = await CommandLineTests.InvokeAsync("init", "--vault", vault, "--imap-provider", "google", "--imap-client-secret", "hunter2-on-argv");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(
            "replydrafter: init: --imap-client-secret would put the secret on the command line, where 'ps' and the shell's history show it; use --imap-client-secret-file FILE (a file only you can read), --imap-client-secret-file - (standard input), or leave it out and type it at the prompt.",
            error.TrimEnd('\n', '\r'));
        Assert.False(Directory.Exists(vault));
    }

    [Fact]
    public async Task Init_ClientSecretAndApiKeyBothFromStandardInput_Exit2NamingBoth()
    {
        var vault = _folder.Combine("vault");

        var (code, _, error) = await CommandLineTests.InvokeAsync("init", "--vault", vault, "--api-key-file", "-", "--imap-client-secret-file", "-");

        Assert.Equal(2, code);
        Assert.Contains("only one of --api-key-file and --imap-client-secret-file can read standard input", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(vault));
    }

    public void Dispose() => _folder.Dispose();
}
