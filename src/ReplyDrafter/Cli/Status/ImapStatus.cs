using ReplyDrafter.Imap;
using ReplyDrafter.Ledger;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Cli.Status;

/// <summary>The IMAP part of <c>status</c>: what the last run recorded of the connection, and the messages that failed.</summary>
/// <param name="Configured">False when <c>ReplyDrafter:Imap:Host</c> is empty.</param>
/// <param name="Account">user@host:port.</param>
/// <param name="State">The connection as the daemon (or the last <c>run --once</c>) last described it.</param>
/// <param name="UpdatedAt">When that state was recorded; null when no run used IMAP yet.</param>
/// <param name="PendingDrafts">Drafts written while the server could not be reached, not yet in its Drafts folder.</param>
/// <param name="SignIn">With OAuth2: the provider and where its tokens are kept (never the tokens).</param>
internal sealed record ImapStatus(bool Configured, string? Account, string State, DateTimeOffset? UpdatedAt, IReadOnlyList<ImapFailedMessage> Failed, int PendingDrafts = 0, string? SignIn = null)
{
    public static readonly ImapStatus Off = new(false, null, "off", null, []);

    /// <summary>Reads imap.db and the ledger without creating either.</summary>
    public static ImapStatus Gather(VaultLayout layout, ImapOptions options)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return Off;
        }

        var path = Path.Combine(layout.State, "imap.db");
        var store = File.Exists(path) ? new ImapStateStore(path) : null;
        var recorded = store?.GetConnection();
        int pendingDrafts = store?.PendingDraftCount() ?? 0;
        var failed = new List<ImapFailedMessage>();
        if (File.Exists(layout.LedgerPath))
        {
            using var ledger = new Ledger.VaultLedger(layout.LedgerPath);
            failed.AddRange(ledger.Items(ItemStates.Failed)
                .Where(i => i.ContentHash.StartsWith("imap:", StringComparison.Ordinal))
                .Select(i => new ImapFailedMessage(i.FileName, i.Detail ?? "no reason recorded")));
        }

        string? signIn = options.Auth == ImapAuth.OAuth2
            ? $"OAuth2 ({options.OAuth.Provider}), tokens in {Auth.MailboxTokens.Store(options.OAuth, options.Username, options.OAuth.EffectiveTokenCacheFolder).Description}"
            : null;
        return recorded is null
            ? new ImapStatus(true, options.Account, "not started yet", null, failed, pendingDrafts, signIn)
            : new ImapStatus(true, options.Account, recorded.Description, recorded.UpdatedAt, failed, pendingDrafts, signIn);
    }

    /// <summary>The one line of the status report.</summary>
    public string Describe() => !Configured
        ? "off (ReplyDrafter:Imap:Host is not set)"
        : $"{Account}: {State}" + (UpdatedAt is { } at ? $" (as of {at:yyyy-MM-dd HH:mm:ss} UTC)" : "") + (Failed.Count > 0 ? $"; {Failed.Count} message(s) failed" : "")
            + (PendingDrafts > 0 ? $"; {PendingDrafts} draft(s) waiting for the Drafts folder" : "")
            + (SignIn is null ? "" : $"; {SignIn}");
}

/// <summary>An IMAP message that could not be processed ("INBOX #12"), with the reason the ledger holds.</summary>
internal sealed record ImapFailedMessage(string Name, string Reason);
