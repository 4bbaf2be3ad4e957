using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;
using ReplyDrafter.Mail;
using ReplyDrafter.Processing;

namespace ReplyDrafter.Imap;

/// <summary>
/// The IMAP mailbox as a pipeline source: each fetched message becomes one <see cref="IntakeItem"/> keyed
/// <c>imap:ACCOUNT/FOLDER/UIDVALIDITY/UID</c> and goes through the same <see cref="BatchRunner"/> as inbox files. The
/// consumer returns only once the item is settled (done or failed in the ledger), so the folder's UID state advances
/// only after; while the LLM is unreachable it waits and retries, and the state stays where it was.
/// </summary>
internal sealed partial class ImapItemSource(
    BatchRunner runner,
    Ledger.Ledger ledger,
    IOptions<InboxOptions> inbox,
    TimeProvider time,
    ILogger<ImapItemSource> logger) : IItemSource
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_pausedRetry = TimeSpan.FromMinutes(5);

    public static string Key(ImapMessage message) => Key(message.Account, message.Folder, message.UidValidity, message.Uid);

    public static string Key(string account, string folder, uint uidValidity, uint uid) =>
        FormattableString.Invariant($"imap:{account}/{folder}/{uidValidity}/{uid}");

    public static string Name(ImapMessage message) => Name(message.Folder, message.Uid);

    public static string Name(string folder, uint uid) => FormattableString.Invariant($"{folder} #{uid}");

    /// <summary>The server message stays where it is: ReplyDrafter never changes the mailbox; the ledger has it as done.</summary>
    public void Complete(IntakeItem item) => LogDone(logger, item.Name);

    /// <summary>The ledger already holds the reason (and <c>status</c> shows it); the server message cannot be moved aside.</summary>
    public void Fail(IntakeItem item, string reason) => LogFailed(logger, item.Name, reason);

    /// <summary>The daemon's consumer: waits as long as the LLM is unreachable.</summary>
    public Task ConsumeAsync(ImapMessage message, CancellationToken cancellationToken) => SettleAsync(message, null, cancellationToken);

    /// <summary><c>run --once</c>'s consumer: gives up (throws <see cref="ImapItemWaitingException"/>) at <paramref name="giveUpAt"/>.</summary>
    public Func<ImapMessage, CancellationToken, Task> ConsumeUntil(DateTimeOffset giveUpAt) =>
        (message, cancellationToken) => SettleAsync(message, giveUpAt, cancellationToken);

    private async Task SettleAsync(ImapMessage message, DateTimeOffset? giveUpAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string key = Key(message);
        string name = Name(message);
        if (ledger.FindItem(key) is { State: ItemStates.Done or ItemStates.Failed })
        {
            // Settled before a crash kept the folder state from advancing.
            return;
        }

        if (Read(message, key, name, cancellationToken) is not { } email)
        {
            return;
        }

        var item = new IntakeItem(key, name, "", new InboxItemContent([email], null), this)
        {
            Origin = message.FromSent ? MailOrigin.Sent : MailOrigin.Received,
        };
        var retry = s_firstRetry < inbox.Value.RescanInterval ? s_firstRetry : inbox.Value.RescanInterval;
        bool told = false;
        while (true)
        {
            var outcome = await runner.ProcessAsync([item], null, cancellationToken, cancellationToken);
            if (outcome.Waiting == 0)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string reason = outcome.WaitingReason ?? "the LLM did not answer";
            var wait = outcome.Paused ? s_pausedRetry : retry;
            if (giveUpAt is { } limit && time.GetUtcNow() + wait > limit)
            {
                throw new ImapItemWaitingException(name, reason);
            }

            if (!told)
            {
                LogWaiting(logger, name, reason);
                told = true;
            }

            await Task.Delay(wait, time, cancellationToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, inbox.Value.RescanInterval.Ticks));
        }
    }

    /// <summary>The message as the pipeline reads it; null (and failed in the ledger, with the reason) when it cannot be read.</summary>
    private EmailMessage? Read(ImapMessage message, string key, string name, CancellationToken cancellationToken)
    {
        string reason;
        try
        {
            if (MimeMessageConverter.HasMailHeaders(message.Message))
            {
                return MimeMessageConverter.Convert(message.Message, fromMbox: false, cancellationToken);
            }

            reason = "The message has no mail headers (no From, no Subject, no Message-ID).";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reason = "ReplyDrafter could not read this message: " + ex.Message;
        }

        ledger.SetItem(key, name, ItemStates.Failed, reason, time.GetUtcNow());
        LogFailed(logger, name, reason);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "IMAP message {Name} is done")]
    private static partial void LogDone(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP message {Name} failed: {Reason} (it stays on the server; the ledger and status have the reason)")]
    private static partial void LogFailed(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP message {Name} waits: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string name, string reason);
}

/// <summary><c>run --once</c> gave up waiting for the LLM on an IMAP message; its folder state did not advance.</summary>
internal sealed class ImapItemWaitingException(string name, string reason)
    : Exception($"IMAP message {name} is left for the next run: {reason}")
{
}
