using System.Text;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void WriteAllText_NewFileInMissingFolder_WritesExactUtf8WithoutBom()
    {
        var path = _folder.Combine("Notes", "deep", "note.md");
        const string text = "---\ntitle: Karén 📅\n---\n\nLine ’quoted’\n";

        AtomicFile.WriteAllText(path, text);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes);
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
    }

    [Fact]
    public void WriteAllText_ExistingFile_ReplacesContent()
    {
        var path = _folder.Combine("note.md");
        File.WriteAllText(path, "old content that is longer than the new one");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void WriteAllText_NoOverwriteOnExistingFile_ThrowsKeepsItAndLeavesNoTempFile()
    {
        var path = _folder.Combine("note.md");
        File.WriteAllText(path, "theirs");

        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(path, "ours", overwrite: false));

        Assert.Equal("theirs", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void WriteAllText_Success_LeavesNoTempFile()
    {
        var path = _folder.Combine("note.md");

        AtomicFile.WriteAllText(path, "a");
        AtomicFile.WriteAllText(path, "b");

        Assert.Equal([path], Directory.GetFiles(_folder.Path, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }));
    }

    [Fact]
    public void WriteAllText_TargetIsAFolder_ThrowsAndLeavesNoTempFile()
    {
        var path = _folder.Combine("taken");
        Directory.CreateDirectory(path);

        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(path, "text"));

        Assert.Empty(Directory.GetFiles(_folder.Path, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = true }));
    }

    [Fact]
    public void RemoveStaleTempFiles_LeftoversInSubfolders_RemovesOnlyThem()
    {
        var stale1 = _folder.Write("Notes/.a.md.rdtmp-0123456789ab", "half");
        var stale2 = _folder.Write("Outbox/_prompts/.x.prompt.json.rdtmp-abcdefabcdef", "half");
        var keep1 = _folder.Write("Notes/a.md", "whole");
        var keep2 = _folder.Write("Notes/.a.md.rdtmp-notours", "user file");
        var keep3 = _folder.Write("Notes/a.md.rdtmp-0123456789ab", "no dot");

        var removed = AtomicFile.RemoveStaleTempFiles(_folder.Path);

        Assert.Equal(2, removed);
        Assert.False(File.Exists(stale1));
        Assert.False(File.Exists(stale2));
        Assert.True(File.Exists(keep1) && File.Exists(keep2) && File.Exists(keep3));
    }

    [Fact]
    public void RemoveStaleTempFiles_MissingFolder_ReturnsZero() =>
        Assert.Equal(0, AtomicFile.RemoveStaleTempFiles(_folder.Combine("nope")));

    [Theory]
    [InlineData("/v/Notes/.note.md.rdtmp-0123456789ab", true)]
    [InlineData(".x.rdtmp-ffffffffffff", true)]
    [InlineData("/v/Notes/note.md", false)]
    [InlineData("/v/Notes/.note.md", false)]
    [InlineData("/v/Notes/.note.md.rdtmp-0123", false)]
    [InlineData("/v/Notes/.note.md.rdtmp-0123456789AB", false)]
    public void IsTempFile_Name_Recognised(string path, bool expected) =>
        Assert.Equal(expected, AtomicFile.IsTempFile(path));

    public void Dispose() => _folder.Dispose();
}
