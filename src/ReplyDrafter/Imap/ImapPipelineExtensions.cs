using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;

namespace ReplyDrafter.Imap;

internal static class ImapPipelineExtensions
{
    /// <summary>
    /// Connects the IMAP building blocks (<see cref="ImapServiceCollectionExtensions.AddImap"/>) to the pipeline: the
    /// mailbox as a source (daemon worker and <c>run --once</c>), and, only when <c>Imap:Host</c> is set, the Drafts
    /// folder as a draft sink.
    /// </summary>
    public static IServiceCollection AddImapPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ImapItemSource>();
        services.AddSingleton<ImapSizeLimit>();
        services.AddSingleton<ImapStateRecorder>();
        services.AddSingleton<IOnceSource, ImapOnceRunner>();
        services.AddHostedService<ImapWorker>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{ImapOptions.Section}:{nameof(ImapOptions.Host)}"]))
        {
            services.AddSingleton<IDraftSink, ImapDraftSink>();
        }

        return services;
    }
}
