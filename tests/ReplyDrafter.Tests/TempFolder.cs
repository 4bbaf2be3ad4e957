using System.Text;

namespace ReplyDrafter.Tests;

/// <summary>A fresh folder under <see cref="TestScratch"/>, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = TestScratch.NewPath();
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating folders; '/' separates them) with the given text as UTF-8 without BOM.</summary>
    public string Write(string relativePath, string text) => WriteBytes(relativePath, new UTF8Encoding(false).GetBytes(text));

    public string WriteText(string fileName, string text, Encoding? encoding = null) =>
        WriteBytes(fileName, (encoding ?? new UTF8Encoding(false)).GetBytes(text));

    public string WriteBytes(string relativePath, byte[] bytes)
    {
        var full = Combine(relativePath.Split('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
