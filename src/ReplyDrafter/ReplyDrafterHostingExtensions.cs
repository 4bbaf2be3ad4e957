using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Llm;
using ReplyDrafter.Processing;
using Serilog;

namespace ReplyDrafter;

public static class ReplyDrafterHostingExtensions
{
    /// <summary>Everything the <c>replydrafter</c> commands need: options, logging, the LLM, the vault and the inbox worker.</summary>
    public static IHostApplicationBuilder AddReplyDrafter(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddSerilog((_, logger) => logger
            .ReadFrom.Configuration(WithLogFolder(builder.Configuration))
            .Filter.ByExcluding(e => Cli.TerminalProgress.IsActive && e.Level < Serilog.Events.LogEventLevel.Warning));

        services.AddOptions<ReplyDrafterOptions>().BindConfiguration(ReplyDrafterOptions.Section).ValidateOnStart();
        services.AddOptions<MeOptions>().BindConfiguration(MeOptions.Section).ValidateOnStart();
        services.AddOptions<FolderOptions>().BindConfiguration(FolderOptions.Section).ValidateOnStart();
        services.AddOptions<InboxOptions>().BindConfiguration(InboxOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplyDrafterOptions>, ReplyDrafterOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeOptions>, ReplyDrafterOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FolderOptions>, ReplyDrafterOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxOptions>, ReplyDrafterOptionsValidation>());
        services.AddOptions<HostOptions>().Configure<IOptions<InboxOptions>>((host, inbox) =>
            host.ShutdownTimeout = inbox.Value.ShutdownGrace + TimeSpan.FromSeconds(10));

        services.AddLlm();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new RunRequest());
        services.AddSingleton<VaultLayout>();
        services.AddSingleton(sp => new Ledger.Ledger(sp.GetRequiredService<VaultLayout>().LedgerPath));
        services.AddSingleton<Ledger.OwnedFiles>();
        services.AddSingleton<ThreadProcessor>();
        services.AddSingleton<InboxProcessor>();
        services.AddHostedService<InboxWorker>();
        return builder;
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
