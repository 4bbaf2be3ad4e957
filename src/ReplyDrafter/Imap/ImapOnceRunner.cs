using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;

namespace ReplyDrafter.Imap;

/// <summary><c>run --once</c>: one catch-up of the mailbox after the inbox folder, then the exit code it adds.</summary>
/// <remarks>The IMAP services are resolved only when <c>Imap:Host</c> is set (see <see cref="ImapWorker"/>).</remarks>
internal sealed partial class ImapOnceRunner(IOptions<ImapOptions> options, IOptions<InboxOptions> inbox, TimeProvider time, IServiceProvider services, ILogger<ImapOnceRunner> logger) : IOnceSource
{
    /// <returns>0 caught up (or IMAP is off); 1 the server or the LLM could not be reached; 2 the login was refused.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        services.GetRequiredService<ImapStateRecorder>().Attach();
        var source = services.GetRequiredService<ImapMailboxSource>();
        var items = services.GetRequiredService<ImapItemSource>();
        try
        {
            int count = await source.CatchUpOnceAsync(items.ConsumeUntil(time.GetUtcNow() + inbox.Value.OnceLlmWait), cancellationToken);
            LogCaughtUp(logger, count);
            await services.GetRequiredService<ImapPendingDrafts>().DeliverAsync(cancellationToken); // drafts that waited for the server
            return 0;
        }
        catch (ImapLoginException e)
        {
            ImapLog.LoginFailed(logger, e.Message);
            return 2;
        }
        catch (ImapItemWaitingException e)
        {
            LogGaveUp(logger, e.Message);
            return 1;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnreachable(logger, $"{options.Value.Host.Trim()}:{options.Value.EffectivePort}", e.Message);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "IMAP: {Count} new message(s) read")]
    private static partial void LogCaughtUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "IMAP server {Server} could not be read ({Reason}); the mailbox is caught up on the next run")]
    private static partial void LogUnreachable(ILogger logger, string server, string reason);
}
