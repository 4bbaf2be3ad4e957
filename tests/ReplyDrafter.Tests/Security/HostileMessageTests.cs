using System.Text;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Security;

/// <summary>Raw hostile messages, read by the real reader, still make a source copy whose frontmatter reads back.</summary>
public sealed class HostileMessageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void NonCharacterSubject_190ByteMessage_GetsANameAndASourceCopy()
    {
        var message = ReadOne("""
            From: a@example.com
            To: b@example.com
            Subject: =?utf-8?b?SW52b2ljZSDvv74=?=
            Message-ID: <1@example.com>
            Date: Mon, 5 Jan 2026 10:00:00 +0000

            hi
            """);

        Assert.EndsWith("_Invoice.md", SourceCopy.FileName(message), StringComparison.Ordinal);
        Assert.NotEmpty(Frontmatter.Read(SourceCopy.Render(message)));
    }

    // 50,000 of each is covered through MessageBuilder (SourceCopyHostileHeaderTests); through the reader it costs ~7 s.
    [Fact]
    public void FiveThousandCcAndReferences_SourceCopyReadsBack()
    {
        var cc = string.Join(",\r\n ", Enumerable.Range(0, 5_000).Select(i => $"p{i}@example.com"));
        var references = string.Join("\r\n ", Enumerable.Range(0, 5_000).Select(i => $"<r{i}@example.com>"));
        var message = ReadOne($"From: a@example.com\r\nTo: b@example.com\r\nCc: {cc}\r\nReferences: {references}\r\nSubject: many\r\nMessage-ID: <2@example.com>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nhi\r\n");

        var markdown = SourceCopy.Render(message);

        var read = Frontmatter.Read(markdown);
        Assert.Equal(SourceCopy.MaxListItems, read.GetStrings("cc").Count);
        Assert.Equal(["cc", "references"], read.GetStrings("shortened"));
        Assert.Contains("p4999@example.com", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void HalfMillionCharMessageId_SourceCopyReadsBack()
    {
        var id = new string('x', 500_000) + "@example.com";
        var message = ReadOne($"From: a@example.com\r\nTo: b@example.com\r\nSubject: long id\r\nMessage-ID: <{id}>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\n\r\nhi\r\n");

        var markdown = SourceCopy.Render(message);

        Assert.NotEmpty(Frontmatter.Read(markdown).GetString("message_id")!);
        Assert.Contains(id, markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ThirtyThousandAttachments_SourceCopyReadsBack()
    {
        var raw = new StringBuilder("From: a@example.com\r\nTo: b@example.com\r\nSubject: parts\r\nMessage-ID: <3@example.com>\r\nDate: Mon, 5 Jan 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n");
        for (var i = 0; i < 30_000; i++)
        {
            raw.Append(System.Globalization.CultureInfo.InvariantCulture, $"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f{i}.bin\"\r\n\r\nx\r\n");
        }

        var message = ReadOne(raw.Append("--b--\r\n").ToString());

        var markdown = SourceCopy.Render(message);

        Assert.Equal(SourceCopy.MaxListItems, Frontmatter.Read(markdown).GetStrings("attachments").Count);
        Assert.Contains("f29999.bin", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void ActiveContentInHtmlAndHeaders_SourceCopyBodyIsInert()
    {
        var message = ReadOne("""
            From: "Evil <img src=http://e.example/p.png>" <a@example.com>
            To: b@example.com
            Subject: Read https://safe.example/page ![[.obsidian/workspace.json]] <%* tp.x %>
            Message-ID: <4@example.com>
            Date: Mon, 5 Jan 2026 10:00:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi ![](http://e.example/pixel.png) and `$= dv.x` and [x](obsidian://open) <!-- hidden -->
            """);

        HostileMarkdownTests.AssertInert(Frontmatter.Body(SourceCopy.Render(message)));
    }

    private EmailMessage ReadOne(string raw)
    {
        var path = _folder.Write("item.eml", raw);
        return Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);
    }

    public void Dispose() => _folder.Dispose();
}
