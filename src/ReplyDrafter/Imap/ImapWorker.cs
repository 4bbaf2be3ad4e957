using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Telemetry;

namespace ReplyDrafter.Imap;

/// <summary>
/// <c>run</c>: watches the mailbox beside the inbox folder. A login failure stops only this source (logged once, shown
/// by <c>status</c>); the folder pipeline keeps running. In every mode it records the connection state in
/// <c>imap.db</c> so <c>status</c> (another process) can show it.
/// </summary>
/// <remarks>The IMAP services are resolved only when <c>Imap:Host</c> is set, so a vault without IMAP gets no imap.db.</remarks>
internal sealed class ImapWorker(IOptions<ImapOptions> options, RunRequest request, IServiceProvider services) : BackgroundService
{
    private ImapConnectionState? _state;
    private Action<ImapConnectionSnapshot>? _recorder;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled)
        {
            _recorder = ImapStateRecorder.Attach(services);
            _state = services.GetRequiredService<ImapConnectionState>();
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        if (_state is not null && _recorder is not null)
        {
            _state.Changed -= _recorder;
        }

        base.Dispose();
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
        await source.RunAsync(items.ConsumeAsync, stoppingToken);
    }
}

/// <summary>Copies every connection change to imap.db (for <c>status</c>) and to the telemetry gauge.</summary>
internal static class ImapStateRecorder
{
    public static Action<ImapConnectionSnapshot> Attach(IServiceProvider services)
    {
        var state = services.GetRequiredService<ImapConnectionState>();
        var store = services.GetRequiredService<ImapStateStore>();
        var account = services.GetRequiredService<IOptions<ImapOptions>>().Value.Account;
        var time = services.GetRequiredService<TimeProvider>();
        var telemetry = services.GetService<ReplyDrafterTelemetry>();
        void Record(ImapConnectionSnapshot snapshot)
        {
            telemetry?.SetImapState(snapshot.Status.ToString().ToLowerInvariant());
            try
            {
                store.SetConnection(account, snapshot.Describe(time.GetUtcNow()), time.GetUtcNow());
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // Only status reads this; a busy or read-only state file must not stop the source.
            }
        }

        state.Changed += Record;
        Record(state.Current);
        return Record;
    }
}
