using ReplyDrafter.Cli;
using ReplyDrafter.Security;
using ReplyDrafter.Tests.Vault;

namespace ReplyDrafter.Tests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VaultLockTests : IDisposable
{
    private readonly TempFolder _vault = new();

    private string State => _vault.Combine(".replydrafter");

    [Fact]
    public void TryAcquire_Free_TakesTheLockAndWritesThePid()
    {
        using var held = VaultLock.TryAcquire(State);

        Assert.NotNull(held);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(State, VaultLock.FileName)));
    }

    [Fact]
    public void TryAcquire_WhileHeld_ReturnsNullUntilReleased()
    {
        var first = VaultLock.TryAcquire(State);
        Assert.NotNull(first);

        Assert.Null(VaultLock.TryAcquire(State));
        first.Dispose();
        using var again = VaultLock.TryAcquire(State);
        Assert.NotNull(again);
    }

    [Fact]
    public void TryAcquire_LockFileDeletedWhileHeld_SecondStillRefused()
    {
        using var first = VaultLock.TryAcquire(State);
        Assert.NotNull(first);

        File.Delete(Path.Combine(State, VaultLock.FileName));

        Assert.Null(VaultLock.TryAcquire(State));
    }

    [Fact]
    public void TryAcquire_SymlinkedLockFile_IsRefusedAndTargetUntouched()
    {
        Directory.CreateDirectory(State);
        var target = _vault.Write("precious.txt", "do not overwrite");
        File.CreateSymbolicLink(Path.Combine(State, VaultLock.FileName), target);

        var error = Assert.Throws<UsageException>(() => VaultLock.TryAcquire(State));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal("do not overwrite", File.ReadAllText(target));
        // The refusal released the folder lock: once the link is gone, the vault can be locked.
        File.Delete(Path.Combine(State, VaultLock.FileName));
        using var held = VaultLock.TryAcquire(State);
        Assert.NotNull(held);
    }

    [Fact]
    public void TryAcquire_FifoAsLockFile_IsRefusedWithoutBlocking()
    {
        Directory.CreateDirectory(State);
        InboxFileTests.MakeFifo(Path.Combine(State, VaultLock.FileName));

        var error = Assert.Throws<UsageException>(() => VaultLock.TryAcquire(State));

        Assert.Contains("not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAcquire_StateFolderAndLockFile_ArePrivate()
    {
        var oldLog = _vault.Write(".replydrafter/logs/old.log", "mail text");
        File.SetUnixFileMode(State, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(oldLog, (UnixFileMode)0b110_100_100);

        using var held = VaultLock.TryAcquire(State);

        Assert.Equal(PrivateFiles.PrivateFolderMode, File.GetUnixFileMode(State));
        Assert.Equal(PrivateFiles.PrivateFileMode, File.GetUnixFileMode(Path.Combine(State, VaultLock.FileName)));
        Assert.Equal(PrivateFiles.PrivateFileMode, File.GetUnixFileMode(oldLog));
    }

    public void Dispose() => _vault.Dispose();
}
