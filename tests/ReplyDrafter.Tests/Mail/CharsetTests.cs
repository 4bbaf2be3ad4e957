using System.Text;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

public sealed class CharsetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Each charset a message may name, with text only that charset (and Unicode) can hold.</summary>
    public static TheoryData<string, string> Charsets { get; } = new()
    {
        { "euc-kr", "한국말로 하는 것" },
        { "iso-2022-jp", "会議の件について" },
        { "shift_jis", "会議の件について" },
        { "gb2312", "关于会议的事" },
        { "gbk", "关于会议的事" },
        { "gb18030", "关于会议的事 𠀀" },
        { "big5", "關於會議的事" },
        { "koi8-r", "Встреча во вторник" },
        { "windows-1250", "Zażółć gęślą jaźń" },
        { "windows-1251", "Встреча во вторник" },
        { "windows-1252", "Café “quoted” — Grüße" },
        { "windows-1253", "Συνάντηση την Τρίτη" },
        { "windows-1254", "Toplantı Salı günü" },
        { "windows-1255", "פגישה ביום שלישי" },
        { "windows-1256", "اجتماع يوم الثلاثاء" },
        { "windows-1257", "Susitikimas antradienį" },
        { "windows-1258", "Đơn giá" },
        { "iso-8859-1", "Café Größe" },
        { "iso-8859-2", "Zażółć gęślą" },
        { "iso-8859-3", "Ħal Għargħur" },
        { "iso-8859-4", "Ģimene ķēniņš" },
        { "iso-8859-5", "Встреча во вторник" },
        { "iso-8859-6", "اجتماع" },
        { "iso-8859-7", "Συνάντηση" },
        { "iso-8859-8", "פגישה" },
        { "iso-8859-9", "Toplantı Salı" },
        { "iso-8859-13", "Susitikimas antradienį" },
        { "iso-8859-15", "Prix 10 € œuvre" },
        { "utf-7", "Grüße 会議" },
    };

    /// <summary>The ISO-8859 parts .NET lacks, as bytes (so the test does not encode with the code under test).</summary>
    public static TheoryData<string, byte[], string> IsoLatinExtras { get; } = new()
    {
        { "iso-8859-10", [0x4E, 0xF8, 0x72, 0x64, 0x20, 0xBD, 0xBF], "Nørd ―ŋ" },
        { "iso-8859-11", [0xA1, 0xD2, 0xC3, 0xBB, 0xC3, 0xD0, 0xAA, 0xD8, 0xC1], "การประชุม" },
        { "iso-8859-14", [0x43, 0xF4, 0x72, 0x20, 0xA1, 0xA6], "Côr ḂḊ" },
        { "iso-8859-16", [0xAA, 0x74, 0x69, 0x72, 0x69, 0x20, 0xA4], "Știri €" },
    };

    [Theory]
    [MemberData(nameof(Charsets))]
    public void Read_CharsetInHeadersParametersAndBody_DecodesAlike(string charset, string text)
    {
        var bytes = CharsetMailBuilder.Encode(charset, text);

        AssertDecoded(CharsetMailBuilder.Build(charset, bytes), text);
    }

    [Theory]
    [MemberData(nameof(Charsets))]
    public void Read_CharsetInQEncodedWords_DecodesAlike(string charset, string text)
    {
        var bytes = CharsetMailBuilder.Encode(charset, text);

        AssertDecoded(CharsetMailBuilder.Build(charset, bytes, quotedPrintableWords: true), text);
    }

    [Theory]
    [MemberData(nameof(IsoLatinExtras))]
    public void Read_IsoLatinCharsetDotNetLacks_DecodesAlike(string charset, byte[] bytes, string text) =>
        AssertDecoded(CharsetMailBuilder.Build(charset, bytes), text);

    [Fact]
    public void Read_Utf7Body_IsReadNotFailed()
    {
        // "Hi Bob, Grüße" in UTF-7 as Outlook 2000 wrote it.
        var body = Encoding.ASCII.GetBytes("Hi Bob, Gr+APwA3w-e");
        var raw = CharsetMailBuilder.Build("utf-7", Encoding.ASCII.GetBytes("Test"), body: body);

        var message = Read(raw);

        Assert.Equal("Hi Bob, Grüße", message.Body);
        Assert.Empty(message.ReadNotes);
    }

    [Fact]
    public void Read_UnknownCharsetInSubject_FallsBackVisiblyThroughMojibakeRepair()
    {
        // UTF-8 bytes under a label nobody knows: read as Windows-1252, then repaired, and noted.
        var raw = CharsetMailBuilder.Build("x-unknown-charset", Encoding.UTF8.GetBytes("Grüße"));

        var message = Read(raw);

        Assert.Equal("Grüße", message.Subject);
        Assert.Contains(message.ReadNotes, n => n.StartsWith("Subject: unknown charset 'x-unknown-charset'", StringComparison.Ordinal));
        Assert.Contains(message.ReadNotes, n => n.StartsWith("From: unknown charset", StringComparison.Ordinal));
        Assert.Contains(message.ReadNotes, n => n.StartsWith("Content-Disposition: unknown charset", StringComparison.Ordinal));
        Assert.Contains(message.ReadNotes, n => n.StartsWith("Body (text/plain): unknown charset 'x-unknown-charset'", StringComparison.Ordinal));
        Assert.Equal("Grüße", message.Body);
    }

    [Fact]
    public void Read_KnownCharsets_NoReadNotes()
    {
        var raw = CharsetMailBuilder.Build("euc-kr", CharsetMailBuilder.Encode("euc-kr", "한국말"));

        Assert.Empty(Read(raw).ReadNotes);
    }

    [Fact]
    public void FromCharsetName_Utf7Labels_Resolve()
    {
        Assert.NotNull(TextEncodings.FromCharsetName("utf-7"));
        Assert.NotNull(TextEncodings.FromCharsetName("unicode-1-1-utf-7"));
        Assert.Null(TextEncodings.FromCharsetName("x-no-such-charset"));
    }

    private void AssertDecoded(byte[] raw, string text)
    {
        var message = Read(raw);

        Assert.Equal(text, message.Subject);
        Assert.Equal(text, message.From.Name);
        Assert.Equal(text, message.Body);
        Assert.Equal(text + ".txt", Assert.Single(message.Attachments).FileName);
        Assert.Empty(message.ReadNotes);
    }

    private EmailMessage Read(byte[] raw)
    {
        var path = _folder.WriteBytes("message.eml", raw);
        return Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);
    }
}
