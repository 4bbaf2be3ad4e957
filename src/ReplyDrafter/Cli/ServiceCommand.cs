using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Hosting;

namespace ReplyDrafter.Cli;

/// <summary><c>replydrafter service print-unit [--vault DIR]</c>: a systemd user unit on standard output.</summary>
internal static class ServiceCommand
{
    public static Command Create(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, Option<string?> vault, CliConsole console)
    {
        var printUnit = new Command("print-unit", "Write a systemd user unit (Type=notify, watchdog) for 'run' to standard output.");
        printUnit.TreatUnmatchedTokensAsErrors = false;
        printUnit.SetAction(result => PrintUnit(createBuilder, new CommonArguments(result.GetValue(vault), [.. result.UnmatchedTokens], console)));
        return new Command("service", "Run ReplyDrafter as a service (see README: Linux, macOS, Windows, Docker).") { printUnit };
    }

    public static int PrintUnit(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common)
    {
        try
        {
            using var host = CliHost.Build(createBuilder, common);
            var configured = host.Services.GetRequiredService<IConfiguration>()["ReplyDrafter:Vault"];
            if (string.IsNullOrWhiteSpace(configured))
            {
                return ReplyDrafterCommandLine.Usage(common.Console, "service print-unit: no vault: give --vault DIR (or run 'replydrafter init' first).");
            }

            // The unit runs from another working directory: the vault goes in as an absolute path.
            var vaultPath = Path.GetFullPath(common.Vault ?? configured);
            var stop = host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
            var watchdog = SystemdUnit.Watchdog(
                host.Services.GetRequiredService<IOptions<Llm.LlmOptions>>().Value.TotalBudget,
                host.Services.GetRequiredService<IOptions<Inbox.InboxOptions>>().Value.RescanInterval);
            common.Console.Out.Write(SystemdUnit.Render(SystemdUnit.CurrentCommand(), vaultPath, watchdog, stop));
            return 0;
        }
        catch (Exception ex) when (CliHost.Describe(ex) is { } message)
        {
            return ReplyDrafterCommandLine.Usage(common.Console, message);
        }
    }
}
