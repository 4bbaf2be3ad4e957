using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class OwnedFilesTests : IDisposable
{
    private readonly TempVault _vault = new();
    private readonly ReplyDrafter.Ledger.VaultLedger _ledger;
    private readonly OwnedFiles _files;

    public OwnedFilesTests()
    {
        _ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);
        _files = new OwnedFiles(_ledger, _vault.Layout, new FakeTimeProvider());
    }

    [Fact]
    public void Claim_SameOwnerTwice_ReturnsSamePath()
    {
        var first = _files.Claim("note:t1", "note", _vault.Layout.Notes, "2025-01-01_Hello", ".md");
        _files.Write(first, "one");
        var second = _files.Claim("note:t1", "note", _vault.Layout.Notes, "2025-01-01_Hello", ".md");

        Assert.Equal("Notes/2025-01-01_Hello.md", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Claim_CrashBeforeWriteCompleted_ReusesReservedPath()
    {
        var reserved = _files.Claim("note:t1", "note", _vault.Layout.Notes, "Hello", ".md");
        Directory.CreateDirectory(_vault.Layout.Notes);
        File.WriteAllText(_vault.Path(reserved), "half"); // the crash: a file, but no hash recorded

        var again = _files.Claim("note:t1", "note", _vault.Layout.Notes, "Hello", ".md");

        Assert.Equal(reserved, again);
    }

    [Fact]
    public void Claim_ExistingForeignFile_GetsNumericSuffix()
    {
        Directory.CreateDirectory(_vault.Layout.Notes);
        File.WriteAllText(Path.Combine(_vault.Layout.Notes, "Hello.md"), "the user's own note");

        var path = _files.Claim("note:t1", "note", _vault.Layout.Notes, "Hello", ".md");
        _files.Write(path, "ours");

        Assert.Equal("Notes/Hello-2.md", path);
        Assert.Equal("the user's own note", File.ReadAllText(Path.Combine(_vault.Layout.Notes, "Hello.md")));
    }

    [Fact]
    public void Claim_UserEditedFile_NeverOverwritten()
    {
        var path = _files.Claim("note:t1", "note", _vault.Layout.Notes, "Hello", ".md");
        _files.Write(path, "generated");
        File.AppendAllText(_vault.Path(path), "\nmy edit");

        var next = _files.Claim("note:t1", "note", _vault.Layout.Notes, "Hello", ".md");
        _files.Write(next, "generated again");

        Assert.NotEqual(path, next);
        Assert.Equal("generated\nmy edit", File.ReadAllText(_vault.Path(path)));
    }

    [Fact]
    public void DeleteIfUntouched_EditedFile_KeepsIt()
    {
        var path = _files.Claim("draft:t1:m1", "draft", _vault.Layout.Outbox, "Draft", ".md");
        _files.Write(path, "status: pending");
        File.WriteAllText(_vault.Path(path), "status: sent");

        Assert.False(_files.DeleteIfUntouched(path));
        Assert.True(File.Exists(_vault.Path(path)));
    }

    [Fact]
    public void DeleteIfUntouched_UntouchedFile_DeletesIt()
    {
        var path = _files.Claim("draft:t1:m1", "draft", _vault.Layout.Outbox, "Draft", ".md");
        _files.Write(path, "status: pending");

        Assert.True(_files.DeleteIfUntouched(path));
        Assert.False(File.Exists(_vault.Path(path)));
    }

    public void Dispose()
    {
        _ledger.Dispose();
        _vault.Dispose();
    }
}
