using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;

namespace ReplyDrafter.Imap;

internal static class ImapPipelineExtensions
{
    /// <summary>
    /// The mailbox as a source of the pipeline (daemon worker and <c>run --once</c>), over the IMAP building blocks
    /// (<see cref="ImapServiceCollectionExtensions.AddImap"/>).
    /// </summary>
    /// <remarks>
    /// Whether IMAP is on is read from the bound <see cref="ImapOptions"/>, i.e. once every settings source is in (per-user
    /// file, vault file, environment, command line), the same decision the source and <c>status</c> use. The settings
    /// files are layered after the services are registered, so the configuration as it stands here would miss an
    /// <c>init</c>-configured mailbox.
    /// </remarks>
    public static IServiceCollection AddImapIntake(this IServiceCollection services)
    {
        services.AddSingleton<ImapItemSource>();
        services.AddSingleton<ImapSizeLimit>();
        services.AddSingleton<ImapStateRecorder>();
        services.AddSingleton<IOnceSource, ImapOnceRunner>();
        services.AddHostedService<ImapWorker>();
        return services;
    }

    /// <summary>The mailbox's Drafts folder as a draft sink (see <see cref="AddImapIntake"/> for when IMAP is on).</summary>
    public static IServiceCollection AddImapDelivery(this IServiceCollection services)
    {
        services.AddSingleton<IDraftSink>(sp => sp.GetRequiredService<IOptions<ImapOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<ImapDraftSink>(sp)
            : OffSink.Instance);
        return services;
    }

    /// <summary>IMAP is off: drafts stay in Outbox/ only, and no imap.db is created.</summary>
    private sealed class OffSink : IDraftSink
    {
        public static readonly OffSink Instance = new();

        public Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken) => Task.FromResult(DraftWithdrawal.Gone);
    }
}
