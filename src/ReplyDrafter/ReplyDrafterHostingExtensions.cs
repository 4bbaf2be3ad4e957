using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Drafts;
using ReplyDrafter.Imap;
using ReplyDrafter.Inbox;
using ReplyDrafter.Learning;
using ReplyDrafter.Llm;
using ReplyDrafter.Notes;
using ReplyDrafter.Processing;
using ReplyDrafter.Steps;
using ReplyDrafter.Usage;
using ReplyDrafter.Vault;
using Serilog;

namespace ReplyDrafter;

public static class ReplyDrafterHostingExtensions
{
    /// <summary>Everything the <c>replydrafter</c> commands need: options, logging, the LLM, the vault and the inbox worker.</summary>
    public static IHostApplicationBuilder AddReplyDrafter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddSerilog((provider, logger) =>
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

        services.AddOptionsWithValidateOnStart<ReplyDrafterOptions, ReplyDrafterOptionsValidator>().BindConfiguration(ReplyDrafterOptions.Section);
        services.AddOptionsWithValidateOnStart<MeOptions, MeOptionsValidator>().BindConfiguration(MeOptions.Section);
        services.AddOptionsWithValidateOnStart<FolderOptions, FolderOptionsValidator>().BindConfiguration(FolderOptions.Section);
        services.AddOptionsWithValidateOnStart<InboxOptions, InboxOptionsValidator>().BindConfiguration(InboxOptions.Section);
        services.AddOptionsWithValidateOnStart<LearningOptions, LearningOptionsValidator>().BindConfiguration(LearningOptions.Section);
        services.AddOptions<HostOptions>().Configure<IOptions<InboxOptions>>((host, inbox) =>
            host.ShutdownTimeout = inbox.Value.ShutdownGrace + TimeSpan.FromSeconds(10));

        services.AddLlm();
        services.AddLlmUsageMetering();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new RunRequest());
        services.TryAddSingleton<IBatchProgress, Cli.TerminalProgress>();
        services.AddSingleton<VaultLayout>();
        services.AddSingleton(sp => new Ledger.Ledger(sp.GetRequiredService<VaultLayout>().LedgerPath));
        services.AddSingleton<OwnedFiles>();
        services.AddSingleton<PeopleCache>();

        // Steps: each is registered as itself (the pipeline calls it) and as IThreadStep (replay finds it by name).
        services.AddSingleton<StepCaller>();
        services.AddSingleton<StepWriter>();
        services.AddThreadStep<NoteStep>();
        services.AddThreadStep<DraftStep>();

        // Sources feed the batch runner; sinks receive each written draft (none besides the Outbox yet).
        services.AddSingleton<MessageIngest>();
        services.AddSingleton<OutcomeTracker>();
        services.AddSingleton<ThreadProcessor>();
        services.AddSingleton<BatchRunner>();
        services.AddSingleton<InboxFolderSource>();
        services.AddHostedService<InboxWorker>();

        // The IMAP mailbox (source) and Drafts folder (sink); active only when ReplyDrafter:Imap:Host is set once every settings source is in.
        services.AddImap(sp => Path.Combine(sp.GetRequiredService<VaultLayout>().State, "imap.db"));
        services.AddImapPipeline();
        return builder;
    }

    /// <summary>Registers a step for the pipeline (as itself) and for <c>replay</c> (among the <see cref="IThreadStep"/>s).</summary>
    private static IServiceCollection AddThreadStep<TStep>(this IServiceCollection services)
        where TStep : class, IThreadStep
    {
        services.AddSingleton<TStep>();
        services.AddSingleton<IThreadStep>(sp => sp.GetRequiredService<TStep>());
        return services;
    }

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
