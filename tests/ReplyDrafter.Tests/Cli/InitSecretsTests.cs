using ReplyDrafter.Cli;
using ReplyDrafter.Tests.Security;

namespace ReplyDrafter.Tests.Cli;

/// <summary>Secrets for <c>init</c> never on argv (issue 17, point 9): a file, standard input, or the no-echo prompt.</summary>
public sealed class InitSecretsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("--imap-password")]
    [InlineData("--api-key")]
    public async Task Init_SecretOnArgv_Exit2PointingAtTheSafeWays(string flag)
    {
        var vault = _folder.Combine("vault");

        var (code, output, error) = await CommandLineTests.InvokeAsync("init", "--vault", vault, flag, "hunter2-on-argv");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(
            $"replydrafter: init: {flag} would put the secret on the command line, where 'ps' and the shell's history show it; use {flag}-file FILE (a file only you can read), {flag}-file - (standard input), or leave it out and type it at the prompt.",
            error.TrimEnd('\n', '\r'));
        Assert.False(Directory.Exists(vault));
    }

    [Fact]
    public void Read_FileAndStandardInput_EachSecret()
    {
        var file = TestSecrets.Write(_folder.Combine("key"), "sk-file\n");

        var (key, password) = SecretArguments.Read(new StringReader("app-password\n"), ("--api-key-file", file), ("--imap-password-file", "-"));

        Assert.Equal("sk-file", key);
        Assert.Equal("app-password", password);
    }

    [Fact]
    public void Read_NotGiven_Null() =>
        Assert.Equal((null, null), SecretArguments.Read(TextReader.Null, ("--api-key-file", null), ("--imap-password-file", null)));

    [Fact]
    public void Read_BothFromStandardInput_Refused()
    {
        var error = Assert.Throws<UsageException>(() => SecretArguments.Read(new StringReader("x\n"), ("--api-key-file", "-"), ("--imap-password-file", "-")));

        Assert.StartsWith("init: only one of --api-key-file and --imap-password-file can read standard input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WorldReadableFile_RefusedNamingFlagAndChmod()
    {
        var file = TestSecrets.Write(_folder.Combine("pw"), "pw", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<UsageException>(() => SecretArguments.Read(TextReader.Null, ("--api-key-file", null), ("--imap-password-file", file)));

        Assert.Equal($"init: --imap-password-file: cannot use '{file}' (others may read or change it (mode 0604); run: chmod 600 '{file}').", error.Message);
    }

    [Fact]
    public void Read_StandardInputOfTwoLines_Refused()
    {
        var error = Assert.Throws<UsageException>(() => SecretArguments.Read(new StringReader("pw\nmore\n"), ("--api-key-file", "-"), ("--imap-password-file", null)));

        Assert.Contains("more than one line", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}
