using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Hosting;
using ReplyDrafter.Inbox;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Hosting;

/// <summary>The daemon's start-up warm-up runs in the background and has no effect a user or a provider could see.</summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public async Task Run_Daemon_WarmsUpWithoutModelCallsOrFiles()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var log = new StringWriter();
        string[] settings = [.. harness.Arguments().Skip(2), "--Serilog:MinimumLevel:Default=Debug"];
        using var host = CliHost.Build(
            s =>
            {
                var builder = Host.CreateApplicationBuilder(s);
                builder.AddReplyDrafter();
                return builder;
            },
            new CommonArguments(harness.Vault.Root, settings, CliConsole.Writers(TextWriter.Null, TextWriter.Synchronized(log))),
            new RunRequest { Mode = RunMode.Daemon });
        CliHost.Validate(host);
        var layout = host.Services.GetRequiredService<VaultLayout>();
        CliHost.PrepareVault(layout);

        var before = VaultFiles(layout);

        await host.StartAsync();
        await host.Services.GetRequiredService<StartupWarmup>().Completed.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();

        string said = log.ToString();
        Assert.Contains("Start-up warm-up done in", said, StringComparison.Ordinal);
        Assert.DoesNotContain("warm-up stopped early", said, StringComparison.Ordinal);
        Assert.Equal(0, harness.Server.ChatRequestCount);
        Assert.Equal(before, VaultFiles(layout));
    }

    /// <summary>Everything a user sees in the vault (the state folder, with the log and the ledger, aside).</summary>
    private static List<string> VaultFiles(VaultLayout layout) =>
        [.. Directory.EnumerateFiles(layout.Root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(layout.State, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
