using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;

namespace ReplyDrafter.Imap;

/// <summary>
/// <c>run</c>: watches the mailbox beside the inbox folder. A login failure stops only this source (logged once, shown
/// by <c>status</c>); the folder pipeline keeps running. In every mode it records the connection state in
/// <c>imap.db</c> so <c>status</c> (another process) can show it.
/// </summary>
/// <remarks>The IMAP services are resolved only when <c>Imap:Host</c> is set, so a vault without IMAP gets no imap.db.</remarks>
internal sealed class ImapWorker(IOptions<ImapOptions> options, RunRequest request, IServiceProvider services) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            services.GetRequiredService<ImapStateRecorder>().Attach();
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled || request.Mode != RunMode.Daemon)
        {
            return;
        }

        await Task.Yield();
        var source = services.GetRequiredService<ImapMailboxSource>();
        var items = services.GetRequiredService<ImapItemSource>();
        // Drafts written while the server was down are appended once it answers again; refused ones on their own schedule.
        var pending = services.GetRequiredService<ImapPendingDrafts>();
        using var stopRetries = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var retries = pending.RetryAsync(stopRetries.Token);
        var prepared = services.GetRequiredService<ImapDraftWriter>().PrepareAsync(stopRetries.Token);
        try
        {
            await source.RunAsync(items.ConsumeAsync, async ct => await pending.DeliverAsync(ct), stoppingToken);
        }
        finally
        {
            // The source also returns after a refused login: nothing can be appended then.
            await stopRetries.CancelAsync();
            await Task.WhenAll(retries, prepared).ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
