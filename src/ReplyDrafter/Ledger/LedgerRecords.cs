using ReplyDrafter.Mail;

namespace ReplyDrafter.Ledger;

/// <summary>An inbox item by content hash. <see cref="State"/> is one of <see cref="ItemStates"/>.</summary>
internal sealed record ItemRecord(string ContentHash, string FileName, string State, string? Detail, DateTimeOffset UpdatedAt);

internal static class ItemStates
{
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <param name="DoneVersion">The thread version (hash of its message ids) whose note and draft are written.</param>
/// <param name="DraftPath">Vault-relative path of the thread's pending draft, if any.</param>
/// <param name="DraftFor">Message-ID the pending draft answers.</param>
internal sealed record ThreadRecord(string ThreadId, string? DoneVersion, string? NotePath, string? DraftPath, string? DraftFor);

internal sealed record StoredMessage(EmailMessage Message, string SourcePath);

/// <param name="Sha256">Hash of what ReplyDrafter wrote; null while the write is under way (or was cut short by a crash).</param>
internal sealed record FileRecord(string Path, string OwnerKey, string? Sha256, string Kind);
