using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Inbox;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

/// <summary>The <c>replydrafter</c> commands (SPEC §6). Configuration and usage errors exit with 2 and one line.</summary>
internal static class ReplyDrafterCommandLine
{
    public static Task<int> InvokeAsync(string[] args, Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder) =>
        InvokeAsync(args, createBuilder, CliConsole.Process());

    /// <summary>The commands, writing to <paramref name="console"/> instead of the process's console.</summary>
    public static async Task<int> InvokeAsync(string[] args, Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var vault = new Option<string?>("--vault") { Description = "The vault folder (overrides ReplyDrafter:Vault).", Recursive = true, HelpName = "DIR" };
        var root = new RootCommand("ReplyDrafter: thread notes and draft replies from your inbox, into your vault. Nothing is ever sent.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Options.Add(vault);

        var once = new Option<bool>("--once") { Description = "Process everything waiting, then exit (0 all succeeded, 1 some failed)." };
        var run = new Command("run", "Watch the inbox until stopped (Ctrl-C / SIGTERM).") { once };
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction((result, _) => RunHostAsync(createBuilder, Common(result, vault, console), new RunRequest { Mode = result.GetValue(once) ? RunMode.Once : RunMode.Daemon }));
        root.Subcommands.Add(run);

        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Files to process (.eml, .mbox, .md, .txt); they are not moved." };
        var process = new Command("process", "Process the named files without moving them.") { files };
        process.TreatUnmatchedTokensAsErrors = false;
        process.SetAction((result, _) =>
        {
            // FILE takes every free token, so settings given among the files are sorted out here.
            var tokens = result.GetValue(files)!;
            var settings = tokens.Where(IsSetting).ToArray();
            var paths = tokens.Where(t => !IsSetting(t)).Select(Path.GetFullPath).ToList();
            if (paths.Count == 0)
            {
                return Task.FromResult(Usage(console, "process: name at least one FILE."));
            }

            if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
            {
                return Task.FromResult(Usage(console, $"process: no such file '{missing}'."));
            }

            var common = Common(result, vault, console);
            return RunHostAsync(createBuilder, common with { ConfigurationArgs = [.. common.ConfigurationArgs, .. settings] }, new RunRequest { Mode = RunMode.Files, Files = paths });
        });
        root.Subcommands.Add(process);

        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var status = new Command("status", "What is waiting, done, failed (and why), drafts pending, and whether the LLM answers.") { json };
        status.TreatUnmatchedTokensAsErrors = false;
        status.SetAction((result, ct) => Guard(console, () => StatusCommand.RunAsync(createBuilder, Common(result, vault, console), result.GetValue(json), ct)));
        root.Subcommands.Add(status);

        var record = new Argument<string>("PROMPT.json") { Description = "A prompt record (a note's or draft's prompt_file), absolute or vault-relative." };
        var model = new Option<string?>("--model") { Description = "Send to this model (or Azure deployment) instead of the recorded one.", HelpName = "NAME" };
        var temperature = new Option<double?>("--temperature") { Description = "Use this temperature instead of the recorded one.", HelpName = "T" };
        var offline = new Option<bool>("--offline") { Description = "No LLM call: re-render the recorded answer with the current renderer." };
        var replay = new Command("replay", "Send a recorded request again and write the result beside the original, which is never touched.")
        {
            record, model, temperature, offline,
        };
        replay.TreatUnmatchedTokensAsErrors = false;
        replay.SetAction((result, ct) => Guard(console, () => ReplayCommand.RunAsync(
            createBuilder,
            Common(result, vault, console),
            new ReplayRequest(result.GetValue(record)!, result.GetValue(model), result.GetValue(temperature), result.GetValue(offline)),
            ct)));
        root.Subcommands.Add(replay);
        root.Subcommands.Add(CompareCommand.Create(createBuilder, vault, console));
        root.Subcommands.Add(InitCommand.Create(vault, console));
        root.Subcommands.Add(ServiceCommand.Create(createBuilder, vault, console));
        root.Subcommands.Add(LoginCommand.Create(createBuilder, vault, console));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return Usage(console, parsed.Errors[0].Message + " (see 'replydrafter --help')");
        }

        if (parsed.UnmatchedTokens.FirstOrDefault(t => !IsSetting(t)) is { } stray)
        {
            return Usage(console, $"unknown argument '{stray}' (settings look like --ReplyDrafter:Llm:Endpoint=URL; see 'replydrafter --help')");
        }

        // The host owns Ctrl-C / SIGTERM so in-flight work gets its grace period.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = console.Out, Error = console.Error });
    }

    /// <summary>A configuration override such as <c>--ReplyDrafter:Llm:Endpoint=URL</c>.</summary>
    private static bool IsSetting(string token) => token.StartsWith("--", StringComparison.Ordinal) && token.Contains(':', StringComparison.Ordinal);

    private static CommonArguments Common(ParseResult result, Option<string?> vault, CliConsole console) =>
        new(result.GetValue(vault), [.. result.UnmatchedTokens], console);

    private static async Task<int> RunHostAsync(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, RunRequest request)
    {
        try
        {
            using var host = CliHost.Build(createBuilder, common, request);
            CliHost.Validate(host);
            var layout = host.Services.GetRequiredService<VaultLayout>();
            using var vaultLock = VaultLock.TryAcquire(layout.State)
                ?? throw new UsageException($"Another ReplyDrafter is already working on this vault ({layout.Root}); stop it first.");
            CliHost.PrepareVault(layout);

            // Opening the ledger checks its schema version: a newer one stops here with one line, before any work.
            _ = host.Services.GetRequiredService<Ledger.VaultLedger>();
            var worker = host.Services.GetServices<IHostedService>().OfType<Inbox.InboxWorker>().Single();
            if (request.Mode == RunMode.Daemon)
            {
                try
                {
                    await host.RunAsync();
                }
                catch (InvalidOperationException) when (worker.ExecuteTask is { IsFaulted: true })
                {
                    // .NET 11 rethrows a failed background service from RunAsync; it is logged already.
                }

                return worker.ExecuteTask is { IsFaulted: true } ? 1 : 0;
            }

            // run --once and process: the command runs the work and gets its exit code; the host only hosts the services.
            await host.StartAsync();
            int code = await worker.RunOnceAsync(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            await host.StopAsync();
            return code;
        }
        catch (Exception ex) when (CliHost.Describe(ex) is { } message)
        {
            return Usage(common.Console, message);
        }
    }

    /// <summary>Turns configuration and usage failures of a one-shot command into exit code 2 and one line.</summary>
    private static async Task<int> Guard(CliConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception ex) when (CliHost.Describe(ex) is { } message)
        {
            return Usage(console, message);
        }
    }

    internal static int Usage(CliConsole console, string message) => Usage(console.Error, message);

    internal static int Usage(TextWriter error, string message)
    {
        error.WriteLine("replydrafter: " + message);
        return CliHost.ConfigurationError;
    }
}
