
namespace ReplyDrafter.Vault;

/// <summary>
/// Output files owned through the ledger. A path is claimed (reserved) under an owner key before it is written, so a
/// rerun after a crash writes the same file again instead of a second one; a file whose text differs from what was
/// recorded has been edited by the user and is never overwritten or deleted.
/// </summary>
internal sealed class OwnedFiles(Ledger.Ledger ledger, VaultLayout layout, TimeProvider time)
{
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
    /// <param name="unixMode">The file's mode on Unix (0600 for prompt records, which hold full mail text); null keeps the umask's.</param>
    public void Write(string relativePath, string content, Action? alsoRecord = null, UnixFileMode? unixMode = null)
    {
        // Rewriting a file the ledger has a hash for: a crash after the rename but before the new hash is recorded
        // would leave text that matches no hash, which reads as a user edit, and the rerun would write a second file
        // beside it. Marking the write as in progress first keeps the file ours until the new hash is in.
        if (ledger.FileAt(relativePath) is { Sha256: not null })
        {
            ledger.BeginRewrite(relativePath);
        }

        AtomicFile.WriteAllText(layout.Absolute(relativePath), content, unixMode: unixMode);
        var sha256 = Hashing.Sha256(content);
        ledger.InTransaction(() =>
        {
            ledger.CompleteFile(relativePath, sha256);
            alsoRecord?.Invoke();
        });
    }

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
}
