using Microsoft.Extensions.Options;

namespace ReplyDrafter.Vault;

/// <summary>Absolute folders of the vault, and the vault-relative form every written path takes.</summary>
internal sealed class VaultLayout
{
    public VaultLayout(IOptions<ReplyDrafterOptions> options, IOptions<FolderOptions> folders)
        : this(options.Value.Vault, folders.Value)
    {
    }

    public VaultLayout(string vault, FolderOptions folders)
    {
        Root = Path.GetFullPath(vault);
        Inbox = Combine(folders.Inbox);
        Archive = Combine(folders.Archive);
        Failed = Combine(folders.Failed);
        Sources = Combine(folders.Sources);
        Notes = Combine(folders.Notes);
        Outbox = Combine(folders.Outbox);
        PromptRecords = Combine(folders.PromptRecords);
        State = Combine(folders.State);
    }

    public string Root { get; }

    public string Inbox { get; }

    public string Archive { get; }

    public string Failed { get; }

    public string Sources { get; }

    public string Notes { get; }

    public string Outbox { get; }

    public string PromptRecords { get; }

    public string State { get; }

    public string LedgerPath => Path.Combine(State, "ledger.db");

    /// <summary>Folders ReplyDrafter writes; never scanned for people notes, always cleaned of crash leftovers.</summary>
    public IReadOnlyList<string> OwnFolders => [Inbox, Sources, Notes, Outbox, State];

    public string ArchiveFor(DateOnly day) => Path.Combine(Archive, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Vault-relative with forward slashes, as every file ReplyDrafter writes refers to another.</summary>
    public string Relative(string absolutePath) => Path.GetRelativePath(Root, absolutePath).Replace('\\', '/');

    public string Absolute(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    private string Combine(string folder) => Path.GetFullPath(Path.Combine(Root, folder));
}
