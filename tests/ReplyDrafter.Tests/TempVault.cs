using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests;

/// <summary>A throwaway vault folder with the default layout.</summary>
internal sealed class TempVault : IDisposable
{
    public TempVault()
    {
        Root = TestScratch.NewPath();
        Directory.CreateDirectory(Root);
        Layout = new VaultLayout(Root, new FolderOptions());
        Directory.CreateDirectory(Layout.Inbox);
    }

    public string Root { get; }

    public VaultLayout Layout { get; }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Every file under <paramref name="relativeFolder"/>, vault-relative with '/' separators, sorted.</summary>
    public IReadOnlyList<string> Files(string relativeFolder = "") =>
        Directory.Exists(Path(relativeFolder))
            ? Directory.EnumerateFiles(Path(relativeFolder), "*", SearchOption.AllDirectories)
                .Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
