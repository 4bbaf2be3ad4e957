using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Processing;

namespace ReplyDrafter.Inbox;

internal static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// The vault's <c>Inbox/</c> as a source, the batch runner every source feeds (ingest, then the threads) and the
    /// worker that drives them. The IMAP mailbox joins as a second source (<c>Imap.ImapPipelineExtensions.AddImapIntake</c>).
    /// </summary>
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<InboxOptions, InboxOptionsValidator>().BindConfiguration(InboxOptions.Section);

        // Derived, not bound: the host waits out the worker's own grace period before it gives up on stopping.
        services.AddOptions<HostOptions>().Configure<IOptions<InboxOptions>>((host, inbox) =>
            host.ShutdownTimeout = inbox.Value.ShutdownGrace + TimeSpan.FromSeconds(10));
        services.TryAddSingleton(new RunRequest());
        services.AddSingleton<MessageIngest>();
        services.AddSingleton<BatchRunner>();
        services.AddSingleton<InboxFolderSource>();
        services.AddHostedService<InboxWorker>();
        return services;
    }
}
