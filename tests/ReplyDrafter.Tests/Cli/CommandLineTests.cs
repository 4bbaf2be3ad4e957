using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;

namespace ReplyDrafter.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempVault _vault = new();

    internal static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] args)
    {
        // Each command gets its own writers, so console tests run side by side.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ReplyDrafterCommandLine.InvokeAsync(
            args,
            static settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);

                // One clock for every command of a test: "today" cannot change between `run` and `status`.
                builder.Services.AddSingleton<TimeProvider>(NoonClock.Shared);
                builder.AddReplyDrafter();
                return builder;
            },
            CliConsole.Writers(TextWriter.Synchronized(output), TextWriter.Synchronized(error)));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_VaultMissing_Exit2NamingTheKey()
    {
        var (code, _, error) = await InvokeAsync("run", "--once", "--vault", Path.Combine(_vault.Root, "nope"));

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Vault", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownArgument_Exit2()
    {
        var (code, _, error) = await InvokeAsync("run", "--vault", _vault.Root, "--frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("--frobnicate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownCommand_Exit2()
    {
        var (code, _, _) = await InvokeAsync("explode");

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Run_BadDuration_Exit2NamingTheKey()
    {
        var (code, _, error) = await InvokeAsync("run", "--once", "--vault", _vault.Root, "--ReplyDrafter:Inbox:RescanInterval=soon");

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Inbox:RescanInterval", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadEmail_Exit2NamingTheKey()
    {
        var (code, _, error) = await InvokeAsync("run", "--once", "--vault", _vault.Root, "--ReplyDrafter:Me:Email=not an address");

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Me:Email", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FolderOutsideVault_Exit2NamingTheKey()
    {
        var (code, _, error) = await InvokeAsync("run", "--once", "--vault", _vault.Root, "--ReplyDrafter:Folders:Notes=../elsewhere");

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Folders:Notes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_VaultLockedByAnotherInstance_Exit2()
    {
        using var held = VaultLock.TryAcquire(_vault.Layout.State);
        Assert.NotNull(held);

        var (code, _, error) = await InvokeAsync("run", "--once", "--vault", _vault.Root);

        Assert.Equal(2, code);
        Assert.Contains("already", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MissingFile_Exit2()
    {
        var (code, _, error) = await InvokeAsync("process", "--vault", _vault.Root, Path.Combine(_vault.Root, "missing.eml"));

        Assert.Equal(2, code);
        Assert.Contains("missing.eml", error, StringComparison.Ordinal);
    }

    public void Dispose() => _vault.Dispose();
}
