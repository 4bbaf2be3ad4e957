using MailKit.Security;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

public sealed class ImapPresetsTests
{
    [Theory]
    [InlineData("gmail", "gmail")]
    [InlineData("Google", "gmail")]
    [InlineData("microsoft", "outlook")]
    [InlineData("outlook", "outlook")]
    [InlineData("fastmail", "fastmail")]
    [InlineData("icloud", "icloud")]
    [InlineData("yahoo", "yahoo")]
    public void Find_NameOrAlias_ThatProvider(string name, string expected) =>
        Assert.Equal(expected, ImapPresets.Find(name)?.Name);

    [Fact]
    public void Find_UnknownName_Null() => Assert.Null(ImapPresets.Find("aol"));

    [Theory]
    [InlineData("ada@gmail.com", "gmail")]
    [InlineData("Ada@GoogleMail.com", "gmail")]
    [InlineData("ada@hotmail.com", "outlook")]
    [InlineData("ada@fastmail.fm", "fastmail")]
    [InlineData("ada@me.com", "icloud")]
    [InlineData("ada@ymail.com", "yahoo")]
    public void ForAddress_KnownDomain_ThatProvider(string address, string expected) =>
        Assert.Equal(expected, ImapPresets.ForAddress(address)?.Name);

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("ada@mail.gmail.com.evil.example")]
    [InlineData("not an address")]
    [InlineData(null)]
    public void ForAddress_OtherDomain_Null(string? address) => Assert.Null(ImapPresets.ForAddress(address));

    [Fact]
    public void Gmail_TlsOn993_DraftsAndSentMailButNeverAllMail()
    {
        var gmail = ImapPresets.Find("gmail")!;

        Assert.Equal(("imap.gmail.com", 993, SecureSocketOptions.SslOnConnect), (gmail.Host, gmail.Port, gmail.Security));
        Assert.Equal(("[Gmail]/Drafts", "[Gmail]/Sent Mail"), (gmail.DraftsFolder, gmail.SentFolder));
        Assert.All(ImapPresets.All, p => Assert.DoesNotContain("All Mail", p.DraftsFolder + p.SentFolder, StringComparison.Ordinal));
        Assert.All(ImapPresets.All, p => Assert.Contains("password", p.Advice, StringComparison.Ordinal));
    }
}
