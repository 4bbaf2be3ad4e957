using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class VaultPathTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Unique_NoClash_ReturnsPlainName() =>
        Assert.Equal(_folder.Combine("a.md"), VaultPath.Unique(_folder.Path, "a", ".md"));

    [Fact]
    public void Unique_Clashes_AddsNumericSuffix()
    {
        _folder.Write("a.md", "1");
        _folder.Write("a-2.md", "2");

        Assert.Equal(_folder.Combine("a-3.md"), VaultPath.Unique(_folder.Path, "a", ".md"));
        Assert.Equal("1", File.ReadAllText(_folder.Combine("a.md")));
    }

    [Fact]
    public void Unique_LongStem_SuffixStillFitsTheLimit()
    {
        var stem = new string('x', 80);
        _folder.Write(stem + ".md", "taken");

        var path = VaultPath.Unique(_folder.Path, stem, ".md");

        Assert.Equal(new string('x', 78) + "-2.md", Path.GetFileName(path));
    }

    [Theory]
    [InlineData("Sources\\Email\\a.md", "Sources/Email/a.md")]
    [InlineData(" Notes/a b.md ", "Notes/a b.md")]
    public void Relative_VaultRelativePath_NormalizedToForwardSlashes(string path, string expected) =>
        Assert.Equal(expected, VaultPath.Relative(path, "p"));

    [Theory]
    [InlineData("/abs/a.md")]
    [InlineData("\\\\server\\share\\a.md")]
    [InlineData("D:/a.md")]
    [InlineData("Notes/../../a.md")]
    public void Relative_AbsoluteOrEscaping_Throws(string path) =>
        Assert.Throws<ArgumentException>(() => VaultPath.Relative(path, "p"));

    public void Dispose() => _folder.Dispose();
}
