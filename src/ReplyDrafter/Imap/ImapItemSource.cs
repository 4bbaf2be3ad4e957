using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;
using ReplyDrafter.Mail;
using ReplyDrafter.Processing;

namespace ReplyDrafter.Imap;

/// <summary>
/// The IMAP mailbox as a pipeline source: each fetched message becomes one <see cref="IntakeItem"/> keyed
/// <c>imap:ACCOUNT/FOLDER/UIDVALIDITY/UID</c>, and a fetched batch goes through the same <see cref="BatchRunner"/> as
/// inbox files, in parallel. Each message is reported settled (done or failed in the ledger) as its threads finish, so
/// the folder's UID state advances over it; while the LLM is unreachable the rest wait and are retried, and the state
/// stays below them.
/// </summary>
internal sealed partial class ImapItemSource(
    BatchRunner runner,
    Ledger.VaultLedger ledger,
    IOptions<InboxOptions> inbox,
    TimeProvider time,
    ILogger<ImapItemSource> logger) : IItemSettlement
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
    public Task ConsumeAsync(IReadOnlyList<ImapMessage> batch, Action<ImapMessage> settled, CancellationToken cancellationToken) =>
        SettleAsync(batch, settled, null, cancellationToken);

    /// <summary><c>run --once</c>'s consumer: gives up (throws <see cref="ImapItemWaitingException"/>) at <paramref name="giveUpAt"/>.</summary>
    public ImapBatchConsumer ConsumeUntil(DateTimeOffset giveUpAt) =>
        (batch, settled, cancellationToken) => SettleAsync(batch, settled, giveUpAt, cancellationToken);

    private async Task SettleAsync(IReadOnlyList<ImapMessage> batch, Action<ImapMessage> settled, DateTimeOffset? giveUpAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(settled);
        var settler = new BatchSettler(this, settled);
        var pending = new List<IntakeItem>();
        foreach (var message in batch)
        {
            string key = Key(message);
            string name = Name(message);
            if (ledger.FindItem(key) is { State: ItemStates.Done or ItemStates.Failed })
            {
                // Settled before a crash kept the folder state from advancing.
                settled(message);
                continue;
            }

            if (Read(message, key, name, cancellationToken) is not { } email)
            {
                settled(message);
                continue;
            }

            pending.Add(settler.Add(new IntakeItem(key, name, "", new InboxItemContent([email], null), settler)
            {
                Origin = message.FromSent ? MailOrigin.Sent : MailOrigin.Received,
            }, message));
        }

        var retry = s_firstRetry < inbox.Value.RescanInterval ? s_firstRetry : inbox.Value.RescanInterval;
        bool told = false;
        while (pending.Count > 0)
        {
            var outcome = await runner.ProcessAsync(pending, null, cancellationToken, cancellationToken);
            pending = pending.Where(i => !settler.IsSettled(i)).ToList();
            if (outcome.Waiting == 0 || pending.Count == 0)
            {
                return;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string name = pending[0].Name;
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

/// <summary>Tells the mailbox source which messages of one batch are settled, as the runner settles them (from any thread).</summary>
internal sealed class BatchSettler(ImapItemSource owner, Action<ImapMessage> settled) : IItemSettlement
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IntakeItem, ImapMessage> _messages = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IntakeItem, bool> _settled = new();

    public IntakeItem Add(IntakeItem item, ImapMessage message)
    {
        _messages[item] = message;
        return item;
    }

    public bool IsSettled(IntakeItem item) => _settled.ContainsKey(item);

    public void Complete(IntakeItem item)
    {
        owner.Complete(item);
        Settled(item);
    }

    public void Fail(IntakeItem item, string reason)
    {
        owner.Fail(item, reason);
        Settled(item);
    }

    private void Settled(IntakeItem item)
    {
        _settled[item] = true;
        settled(_messages[item]);
    }
}

/// <summary><c>run --once</c> gave up waiting for the LLM on an IMAP message; its folder state did not advance.</summary>
internal sealed class ImapItemWaitingException(string name, string reason)
    : Exception($"IMAP message {name} is left for the next run: {reason}")
{
}
