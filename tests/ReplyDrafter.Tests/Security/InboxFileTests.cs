using System.Diagnostics;
using ReplyDrafter.Security;
using ReplyDrafter.Tests.Vault;

namespace ReplyDrafter.Tests.Security;

public sealed class InboxFileTests : IDisposable
{
    private readonly TempFolder _inbox = new();
    private readonly TempFolder _outside = new();

    [Fact]
    public void TryOpen_RegularFile_OpensWithItsSize()
    {
        var path = _inbox.Write("mail.eml", "Subject: hi\n\nbody");

        var result = InboxFile.TryOpen(path);

        Assert.True(result.IsOpen, result.Refusal);
        using var file = result.File!;
        Assert.Equal(InboxEntryKind.RegularFile, result.Kind);
        Assert.Equal(17, file.Length);
        Assert.Equal(ReplyDrafter.Vault.Hashing.Sha256File(path), file.Sha256());
        Assert.Equal("Subject: hi\n\nbody", new StreamReader(file.Stream).ReadToEnd());
    }

    [Fact]
    public void TryOpen_SymlinkToFileOutside_IsRefusedAndNothingRead()
    {
        var secret = _outside.Write("passwd", "root:x:0:0");
        var link = _inbox.Combine("passwd.txt");
        File.CreateSymbolicLink(link, secret);

        var result = InboxFile.TryOpen(link);

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.SymbolicLink, result.Kind);
        Assert.Contains("symbolic link", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(InboxEntryKind.SymbolicLink, InboxFile.Inspect(link));
    }

    [Fact]
    public void TryOpen_SymlinkToDevZero_IsRefused()
    {
        var link = _inbox.Combine("zero.eml");
        File.CreateSymbolicLink(link, "/dev/zero");

        var result = InboxFile.TryOpen(link);

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.SymbolicLink, result.Kind);
    }

    [Fact]
    public void TryOpen_DevZeroItself_IsRefusedAsDevice()
    {
        var result = InboxFile.TryOpen("/dev/zero");

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.CharacterDevice, result.Kind);
        Assert.Contains("device", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpen_Fifo_IsRefusedWithoutBlocking()
    {
        var fifo = _inbox.Combine("p.eml");
        MakeFifo(fifo);

        // Without O_NONBLOCK this open would wait for a writer forever; the test would hang, not fail.
        var result = InboxFile.TryOpen(fifo);

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.Fifo, result.Kind);
        Assert.Contains("FIFO", result.Refusal, StringComparison.Ordinal);
        Assert.Equal(InboxEntryKind.Fifo, InboxFile.Inspect(fifo));
    }

    [Fact]
    public void TryOpen_SymlinkToBigSparseFile_IsRefusedWhileTheFileItselfMeasuresItsRealSize()
    {
        var big = _outside.Combine("big.eml");
        using (var stream = new FileStream(big, FileMode.CreateNew))
        {
            stream.SetLength(200L * 1024 * 1024); // sparse: no 200 MB written
        }

        var link = _inbox.Combine("small.eml");
        File.CreateSymbolicLink(link, big);

        var viaLink = InboxFile.TryOpen(link);
        var direct = InboxFile.TryOpen(big);

        Assert.False(viaLink.IsOpen);
        Assert.True(new FileInfo(link).Length < 1024, "the link's own size is what a naive check sees");
        using var file = direct.File!;
        Assert.Equal(200L * 1024 * 1024, file.Length);
    }

    [Fact]
    public void TryOpen_Folder_IsRefused()
    {
        Directory.CreateDirectory(_inbox.Combine("sub.eml"));

        var result = InboxFile.TryOpen(_inbox.Combine("sub.eml"));

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.Directory, result.Kind);
    }

    [Fact]
    public void TryOpen_Missing_IsRefusedAsMissing()
    {
        var result = InboxFile.TryOpen(_inbox.Combine("gone.eml"));

        Assert.False(result.IsOpen);
        Assert.Equal(InboxEntryKind.Missing, result.Kind);
    }

    [Fact]
    public void Inspect_RegularFile_IsRegular() =>
        Assert.Equal(InboxEntryKind.RegularFile, InboxFile.Inspect(_inbox.Write("a.eml", "x")));

    internal static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    public void Dispose()
    {
        _inbox.Dispose();
        _outside.Dispose();
    }
}
