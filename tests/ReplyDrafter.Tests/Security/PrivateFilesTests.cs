using ReplyDrafter.Security;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void CreateFolder_New_Is0700()
    {
        var path = _folder.Combine("Outbox", "_prompts");

        PrivateFiles.CreateFolder(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public void CreateFolder_ExistingOpenFolder_IsTightenedTo0700()
    {
        var path = _folder.Combine(".replydrafter");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);

        PrivateFiles.CreateFolder(path);

        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void AtomicFileWriteAllText_PrivateMode_Is0600AfterRename()
    {
        var path = _folder.Combine("_prompts", "a.prompt.json");

        AtomicFile.WriteAllText(path, "{}", unixMode: PrivateFiles.PrivateFileMode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void AtomicFileWriteAllText_PrivateModeInNewFolder_FolderIs0700()
    {
        var path = _folder.Combine("Outbox", "_prompts", "a.prompt.json");
        Directory.CreateDirectory(_folder.Combine("Outbox"));

        AtomicFile.WriteAllText(path, "{}", unixMode: PrivateFiles.PrivateFileMode);

        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(_folder.Combine("Outbox", "_prompts")));
    }

    [Fact]
    public void AtomicFileWriteAllText_NoMode_KeepsTheUmaskDefault()
    {
        var path = _folder.Combine("note.md");

        AtomicFile.WriteAllText(path, "x");

        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserRead));
        Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead));
    }

    [Fact]
    public void RestrictTree_ExistingStateFolder_AllFilesBecome0600()
    {
        var file = _folder.Write(".replydrafter/logs/a.log", "x");
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        PrivateFiles.RestrictTree(_folder.Combine(".replydrafter"));

        Assert.Equal(PrivateFiles.PrivateFileMode, File.GetUnixFileMode(file));
        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(_folder.Combine(".replydrafter", "logs")));
    }

    public void Dispose() => _folder.Dispose();
}
