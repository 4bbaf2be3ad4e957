using ReplyDrafter.Mail;

namespace ReplyDrafter.Processing;

/// <summary>
/// A source's side of settling its items: what the pipeline tells the source an item came to. A source reads its items itself (the inbox folder:
/// files, checked, hashed and parsed; an IMAP folder: already-fetched MimeKit messages converted with
/// <see cref="MimeMessageConverter"/>) and hands them to the <see cref="BatchRunner"/> as <see cref="IntakeItem"/>s.
/// The runner tells the source what became of each item; it never moves, deletes or opens anything of the source's.
/// </summary>
/// <remarks>
/// Both calls come after the ledger has recorded the item's state under <see cref="IntakeItem.Key"/>, so a crash
/// between the ledger and the source's own bookkeeping is recovered by the source seeing the key as done next time.
/// Calls may come from several threads at once (items settle as their threads finish). An exception is logged and the
/// item is left as it is; it must not be thrown for a condition the source can tell apart by itself.
/// </remarks>
internal interface IItemSettlement
{
    /// <summary>All the item's threads are written: e.g. move the file to the archive, or mark the IMAP UID as seen by ReplyDrafter (never <c>\Seen</c>).</summary>
    void Complete(IntakeItem item);

    /// <summary>The item cannot be processed; <paramref name="reason"/> is in words for the user (e.g. moved to <c>_failed/</c> with <c>NAME.error.md</c>).</summary>
    void Fail(IntakeItem item, string reason);
}

/// <summary>One item from a source: a file from the inbox folder, or one message from an IMAP folder. Compared by reference.</summary>
/// <param name="key">
/// Stable identity in the ledger's items table, unique across sources: the SHA-256 of a file's content; for IMAP,
/// e.g. <c>imap:ACCOUNT/FOLDER/UIDVALIDITY/UID</c>. An item whose key the ledger holds as done is not offered again.
/// </param>
/// <param name="name">What the user calls it (a file name; "INBOX #1234"), for the log and <c>status</c>.</param>
/// <param name="sourceRef">Vault-relative path where the original is kept (a transcript note links it); empty when there is none.</param>
/// <param name="content">The parsed messages (or transcript).</param>
/// <param name="source">The source that is told what became of the item.</param>
internal sealed class IntakeItem(string key, string name, string sourceRef, InboxItemContent content, IItemSettlement source)
{
    public string Key { get; } = key;

    public string Name { get; } = name;

    public string SourceRef { get; } = sourceRef;

    public InboxItemContent Content { get; } = content;

    public IItemSettlement Source { get; } = source;

    /// <summary>Whether the item came from the user's own sent mail: the only origin that proves a message is the user's.</summary>
    public MailOrigin Origin { get; init; } = MailOrigin.Received;

    /// <summary>
    /// Message-IDs whose stored copy came from an earlier, incomplete read of this same item (the file grew after it was
    /// read): their source copies and threads are brought up to date with this read instead of being skipped as known.
    /// </summary>
    public IReadOnlySet<string> Refreshes { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
