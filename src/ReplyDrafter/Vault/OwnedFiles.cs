
namespace ReplyDrafter.Vault;

/// <summary>
/// Output files owned through the ledger. A path is claimed (reserved) under an owner key before it is written, so a
/// rerun after a crash writes the same file again instead of a second one; a file whose text differs from what was
/// recorded has been edited by the user and is never overwritten or deleted.
/// </summary>
internal sealed class OwnedFiles(Ledger.VaultLedger ledger, VaultLayout layout, TimeProvider time)
{
    /// <summary>Prompt records hold the full text of mail: readable by the user alone on Unix, however they are (re)written.</summary>
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The vault-relative path <paramref name="ownerKey"/> writes to: its earlier file when that is still untouched,
    /// else a fresh name in <paramref name="folder"/> (numeric suffix on a clash, never an overwrite).
    /// </summary>
    public string Claim(string ownerKey, string kind, string folder, string stem, string extension)
    {
        if (ledger.FileOwnedBy(ownerKey) is { } owned)
        {
            if (IsOurs(owned))
            {
                return owned.Path;
            }

            ledger.ReleaseFile(owned.Path);
        }

        var path = layout.Relative(VaultPath.Unique(folder, stem, extension, int.MaxValue, candidate => ledger.FileAt(layout.Relative(candidate)) is not null));
        ledger.ReserveFile(path, ownerKey, kind, time.GetUtcNow());
        return path;
    }

    /// <summary>Claims a path that follows from another owned file (a prompt record beside its note or draft).</summary>
    public void ClaimExact(string relativePath, string ownerKey, string kind) =>
        ledger.ReserveFile(relativePath, ownerKey, kind, time.GetUtcNow());

    /// <summary>Writes a claimed path atomically, then records what was written.</summary>
    /// <param name="alsoRecord">Ledger writes that describe this file, committed in the same transaction as its hash.</param>
    public void Write(string relativePath, string content, Action? alsoRecord = null) => WriteAll([(relativePath, content)], alsoRecord);

    /// <summary>
    /// Writes claimed paths atomically one after the other, then records all their hashes in one commit (one fsync of
    /// the ledger instead of one per file). A crash before that commit leaves every one of them claimed without a
    /// hash, which reads as ours and is rewritten by the rerun: the same state a crash before the first write leaves.
    /// </summary>
    /// <param name="alsoRecord">Ledger writes that describe these files, committed in the same transaction as their hashes.</param>
    public void WriteAll(IReadOnlyList<(string Path, string Content)> outputs, Action? alsoRecord = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var hashes = outputs.Select(o => (o.Path, WriteUnrecorded(o.Path, o.Content))).ToList();
        Record(hashes, alsoRecord);
    }

    /// <summary>
    /// Writes a claimed path atomically and returns its hash, for <see cref="Record"/> to commit together with others
    /// (so a caller can write many files one at a time without holding all their text).
    /// </summary>
    public string WriteUnrecorded(string relativePath, string content)
    {
        // Rewriting a file the ledger has a hash for: a crash after the rename but before the new hash is recorded
        // would leave text that matches no hash, which reads as a user edit, and the rerun would write a second file
        // beside it. Marking the write as in progress first keeps the file ours until the new hash is in.
        if (ledger.FileAt(relativePath) is { Sha256: not null })
        {
            ledger.BeginRewrite(relativePath);
        }

        AtomicFile.WriteAllText(layout.Absolute(relativePath), content, unixMode: IsPrivate(relativePath) ? OwnerOnly : null);
        return Hashing.Sha256(content);
    }

    /// <summary>Records the hashes of files written by <see cref="WriteUnrecorded"/> and <paramref name="alsoRecord"/> in one commit.</summary>
    public void Record(IReadOnlyList<(string Path, string Sha256)> written, Action? alsoRecord = null)
    {
        ArgumentNullException.ThrowIfNull(written);
        ledger.InTransaction(() =>
        {
            foreach (var (path, sha256) in written)
            {
                ledger.CompleteFile(path, sha256);
            }

            alsoRecord?.Invoke();
        });
    }

    /// <summary>Claims (and other ledger writes) made in <paramref name="claims"/> are committed together, before any file is written.</summary>
    public void InOneCommit(Action claims) => ledger.InTransaction(claims);

    /// <summary>True when <paramref name="relativePath"/> is claimed (written or not) by <paramref name="ownerKey"/>.</summary>
    public bool IsClaimedBy(string relativePath, string ownerKey) => ledger.FileAt(relativePath)?.OwnerKey == ownerKey;

    /// <summary>True when the file is as ReplyDrafter wrote it (or gone, or its write never completed).</summary>
    public bool IsUntouched(string relativePath) => ledger.FileAt(relativePath) is { } record && IsOurs(record);

    /// <summary>Deletes a file ReplyDrafter wrote and the user never touched; returns false (and keeps it) otherwise.</summary>
    public bool DeleteIfUntouched(string relativePath)
    {
        if (!IsUntouched(relativePath))
        {
            return false;
        }

        File.Delete(layout.Absolute(relativePath));
        ledger.ReleaseFile(relativePath);
        return true;
    }

    private bool IsOurs(Ledger.FileRecord record)
    {
        var absolute = layout.Absolute(record.Path);
        return record.Sha256 is null || !File.Exists(absolute) || Hashing.Sha256File(absolute) == record.Sha256;
    }

    private bool IsPrivate(string relativePath) =>
        layout.Absolute(relativePath).StartsWith(layout.PromptRecords + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
