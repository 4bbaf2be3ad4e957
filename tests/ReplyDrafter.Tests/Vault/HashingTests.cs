using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class HashingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Sha256_KnownText_MatchesStandardVector()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashing.Sha256("abc"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hashing.Sha256(string.Empty));
    }

    [Fact]
    public void Sha256File_SameUtf8Text_EqualsSha256OfText()
    {
        const string text = "Karén 📅\n";
        var path = _folder.Combine("a.md");
        AtomicFile.WriteAllText(path, text);

        Assert.Equal(Hashing.Sha256(text), Hashing.Sha256File(path));
    }

    [Theory]
    [InlineData("lone surrogate \ud800 in the middle")]
    [InlineData("")]
    public void Sha256File_TextAsWritten_EqualsSha256OfText(string text)
    {
        // Pooled buffers are reused: a hash or a file must cover exactly this text's bytes, never a longer buffer's tail.
        AtomicFile.WriteAllText(_folder.Combine("long.md"), new string('x', 70_000));
        var path = _folder.Combine("b.md");
        AtomicFile.WriteAllText(path, text);

        Assert.Equal(Hashing.Sha256(text), Hashing.Sha256File(path));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), new FileInfo(path).Length);
    }

    public void Dispose() => _folder.Dispose();
}
