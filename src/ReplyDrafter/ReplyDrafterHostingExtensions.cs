using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Imap;
using ReplyDrafter.Inbox;
using ReplyDrafter.Llm;
using ReplyDrafter.Processing;
using ReplyDrafter.Spending;
using ReplyDrafter.Vault;
using Serilog;

namespace ReplyDrafter;

public static class ReplyDrafterHostingExtensions
{
    /// <summary>
    /// Everything the <c>replydrafter</c> commands need, as the data flows: intake (the vault's <c>Inbox/</c> and the
    /// IMAP mailbox) into the threads (ingest, then the steps), the drafts out to the sinks; the model below them all.
    /// </summary>
    public static IHostApplicationBuilder AddReplyDrafter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddLogging(builder);

        services.AddOptionsWithValidateOnStart<ReplyDrafterOptions, ReplyDrafterOptionsValidator>().BindConfiguration(ReplyDrafterOptions.Section);
        services.AddOptionsWithValidateOnStart<MeOptions, MeOptionsValidator>().BindConfiguration(MeOptions.Section);
        services.AddOptionsWithValidateOnStart<FolderOptions, FolderOptionsValidator>().BindConfiguration(FolderOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBatchProgress, Cli.TerminalProgress>();
        services.AddSingleton<VaultLayout>();
        services.AddSingleton(sp => new Ledger.VaultLedger(sp.GetRequiredService<VaultLayout>().LedgerPath));
        services.AddSingleton<OwnedFiles>();
        services.AddSingleton<PeopleCache>();

        // The IMAP building blocks; the mailbox is a source and its Drafts folder a sink only when ReplyDrafter:Imap:Host
        // is set once every settings source is in.
        services.AddImap(sp => Path.Combine(sp.GetRequiredService<VaultLayout>().State, "imap.db"));

        services.AddIntake();
        services.AddImapIntake();
        services.AddThreads();
        services.AddImapDelivery();

        // The model, outermost layer first (the client's own layers: see LlmClientBuilder). Pipeline calls are refused
        // once a daily limit is reached, and every answer is counted in the ledger; a command a person waits on skips that.
        services.AddLlm(llm => llm
            .UseForPipeline(MeteredLlmClient.Wrap));

        // Last, so the workers' start is not behind it; it runs in the background anyway.
        services.AddSingleton<Inbox.StartupWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<Inbox.StartupWarmup>());
        return builder;
    }

    private static void AddLogging(IHostApplicationBuilder builder) =>
        builder.Services.AddSerilog((provider, logger) =>
        {
            var progress = provider.GetRequiredService<IBatchProgress>();
            logger
                .ReadFrom.Configuration(WithLogFolder(builder.Configuration))
                .Filter.ByExcluding(e => progress.IsShowing && e.Level < Serilog.Events.LogEventLevel.Warning)
                .Enrich.With<Security.LogTextEnricher>();

            // A command run with its own writers (tests, side by side) gets its log lines there too.
            if (provider.GetService<Cli.CliConsole>() is { Captured: true } console)
            {
                logger.WriteTo.Sink(new Cli.CliLogSink(console.Error));
            }
        }, preserveStaticLogger: true); // each host logs through its own logger: the static Log.Logger is shared by every host in the process (tests run commands side by side)

    /// <summary>
    /// Serilog sink paths may start with <c>{logs}</c>: the vault's <c>.replydrafter/logs</c> (a temp folder while the
    /// vault is not valid yet, so the start-up error still gets logged).
    /// </summary>
    private static IConfiguration WithLogFolder(IConfiguration configuration)
    {
        const string Token = "{logs}";
        var vault = configuration["ReplyDrafter:Vault"];
        var logs = !string.IsNullOrWhiteSpace(vault) && Directory.Exists(vault)
            ? Path.Combine(Path.GetFullPath(vault), configuration["ReplyDrafter:Folders:State"] ?? ".replydrafter", "logs")
            : Path.Combine(Path.GetTempPath(), "replydrafter-logs");
        var paths = configuration.AsEnumerable()
            .Where(kv => kv.Key.StartsWith("Serilog:", StringComparison.OrdinalIgnoreCase) && kv.Value?.StartsWith(Token, StringComparison.Ordinal) == true)
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, logs + kv.Value![Token.Length..]))
            .ToList();
        return new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(paths).Build();
    }
}
