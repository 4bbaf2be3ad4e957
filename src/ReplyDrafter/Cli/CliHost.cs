using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli;

/// <summary>Builds the host for one command, and turns configuration failures into one-line messages.</summary>
internal static class CliHost
{
    public const int ConfigurationError = 2;

    /// <param name="pipelineLlm">
    /// The LLM client as the pipeline has it (retries with Retry-After, metered into the ledger's usage and daily
    /// limits) instead of the one-attempt, unmetered one of the commands a person waits on: for <c>compare</c>, whose
    /// many calls cost money and should outlast a 429.
    /// </param>
    public static IHost Build(
        Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, RunRequest? run = null, bool pipelineLlm = false)
    {
        // The program's appsettings.json is read once. Reloading it on change would put an inotify watch on every
        // folder under the program's folder, at every start, for a file nobody edits while the program runs.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = createBuilder(new HostApplicationBuilderSettings
        {
            Args = common.ConfigurationArgs,
            Configuration = configuration,

            // appsettings.json and prompts/ are found beside the program, whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (common.Vault is { } vault)
        {
            builder.Configuration.AddInMemoryCollection([new("ReplyDrafter:Vault", Path.GetFullPath(vault))]);
        }

        Hosting.SettingsLayering.AddReplyDrafterSettings(builder);

        builder.Services.Replace(ServiceDescriptor.Singleton(common.Console));
        if (run is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(run));
        }
        else
        {
            // Not the daemon: someone is waiting for the answer.
            builder.Services.RemoveAll<IHostedService>();
            if (!pipelineLlm)
            {
                Llm.InteractiveLlmBudget.UseInteractiveLlmBudget(builder.Services);
            }
        }

        return builder.Build();
    }

    /// <summary>Runs every start-up check now (the commands that do not start the host need them too).</summary>
    public static void Validate(IHost host)
    {
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            throw new UsageException(message);
        }
    }

    /// <summary>Creates the vault's folders and removes temp files a crash left behind.</summary>
    public static void PrepareVault(VaultLayout layout)
    {
        foreach (var folder in new[] { layout.Inbox, layout.Sources, layout.Notes, layout.Outbox })
        {
            Directory.CreateDirectory(folder);
        }

        // They hold full mail text and prompts: 0700 on Unix whatever the umask.
        Security.PrivateFiles.CreateFolder(layout.PromptRecords);
        Security.PrivateFiles.CreateFolder(layout.State);

        foreach (var folder in layout.OwnFolders)
        {
            AtomicFile.RemoveStaleTempFiles(folder);
        }
    }

    /// <summary>The user-facing line for a configuration failure, or null when the exception is something else.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        UsageException usage => usage.Message,
        Ledger.LedgerVersionException version => version.Message,
        OptionsValidationException validation => string.Join(" ", validation.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join(" ", aggregate.InnerExceptions.Select(e => Describe(e))),
        InvalidOperationException { Message: var m } when m.Contains("configuration value", StringComparison.OrdinalIgnoreCase) =>
            m.Replace("Failed to convert configuration value at", "The setting", StringComparison.Ordinal),
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}

/// <summary>Options every command takes, and where it writes.</summary>
internal sealed record CommonArguments(string? Vault, string[] ConfigurationArgs, CliConsole Console);
