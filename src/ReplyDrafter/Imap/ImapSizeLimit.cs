using MailKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Ledger;

namespace ReplyDrafter.Imap;

/// <summary>
/// <c>Inbox:MaxItemBytes</c> for IMAP: a message whose RFC822.SIZE (fetched with the summary, before any body) is over
/// the limit is never fetched. It is recorded failed in the ledger under its item key, so <c>status</c> shows the
/// reason and the folder's UID state moves past it instead of trying again on every catch-up.
/// </summary>
internal sealed partial class ImapSizeLimit(IOptions<InboxOptions> inbox, Ledger.VaultLedger ledger, TimeProvider time, ILogger<ImapSizeLimit> logger)
{
    public long MaxBytes => inbox.Value.MaxItemBytes;

    /// <summary>True (and recorded) when the message is too large to fetch.</summary>
    public bool Skip(string account, string folder, uint uidValidity, IMessageSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Size is not { } size || size <= (ulong)MaxBytes)
        {
            return false;
        }

        string name = ImapItemSource.Name(folder, summary.UniqueId.Id);
        string reason = $"The message is {Megabytes(size)} MB, more than the {Megabytes((ulong)MaxBytes)} MB limit (ReplyDrafter:Inbox:MaxItemBytes); it was not fetched.";
        ledger.SetItem(ImapItemSource.Key(account, folder, uidValidity, summary.UniqueId.Id), name, ItemStates.Failed, reason, time.GetUtcNow());
        LogSkipped(logger, name, reason);
        return true;
    }

    private static string Megabytes(ulong bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IMAP message {Name} skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string name, string reason);
}
