using System.Text;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

public sealed class TextItemReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static InboxItemContent Read(string path) => InboxItemReader.Read(path, CancellationToken.None);

    [Fact]
    public void Read_BinaryBytesInTxt_UnreadableWithPlainReason()
    {
        var path = _folder.WriteBytes("photo.txt", [.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 7919 % 256))]);

        var error = Assert.Throws<UnreadableItemException>(() => Read(path));

        Assert.Contains("binary data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TranscriptMarkdownWithMojibake_RepairedWithTitleAndDate()
    {
        var text = "# 1:1 with Jónsi\n\nJónsi: We’ll ship on Friday 📅 — priority ⏫.\nMe: Sounds good.\n";
        var path = _folder.WriteText("2025-12-03 meeting.md", MojibakeMaker.AsWindows1252(text));

        var transcript = Assert.IsType<TranscriptDocument>(Read(path).Transcript);

        Assert.Equal("1:1 with Jónsi", transcript.Title);
        Assert.Equal(new DateOnly(2025, 12, 3), transcript.Date);
        Assert.Equal(text.Trim(), transcript.Text);
    }

    [Fact]
    public void Read_TranscriptWithoutHeadingOrDateInName_UsesFileNameAndDateInText()
    {
        var path = _folder.WriteText("standup notes.txt", "Standup held on 2025-11-28.\nAlice: done.\n");

        var content = Read(path);

        Assert.Empty(content.Messages);
        Assert.Equal("standup notes", content.Transcript!.Title);
        Assert.Equal(new DateOnly(2025, 11, 28), content.Transcript.Date);
    }

    [Fact]
    public void Read_TranscriptWithoutAnyDate_DateIsNull()
    {
        var path = _folder.WriteText("call.md", "Alice: hello\nBob: hi\n");

        Assert.Null(Read(path).Transcript!.Date);
    }

    [Fact]
    public void Read_Windows1252Transcript_Detected()
    {
        var path = _folder.WriteBytes("notes.txt", MojibakeMaker.ToWindows1252("Réunion: le café coûte 3 €, à régler."));

        Assert.Equal("Réunion: le café coûte 3 €, à régler.", Read(path).Transcript!.Text);
    }

    [Fact]
    public void Read_Utf16WithBom_Decoded()
    {
        var path = _folder.WriteBytes("notes.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Grüße 📅")]);

        Assert.Equal("Grüße 📅", Read(path).Transcript!.Text);
    }

    [Fact]
    public void Read_ForwardedEmailSavedAsText_ParsedAsEmail()
    {
        const string text = "---------- Forwarded message ---------\n"
            + "From: Bob Builder <bob@example.com>\n"
            + "Date: Mon, Dec 1, 2025 at 10:15 AM\n"
            + "Subject: Re: Offsite plan\n"
            + "To: Me Myself <me@example.com>, Carol <carol@example.com>\n"
            + "\n"
            + "Can you book the venue?\n\nOn Sun, Nov 30, 2025 Me wrote:\n> Plan attached.\n";
        var path = _folder.WriteText("fwd.txt", text);

        var message = Assert.Single(Read(path).Messages);

        Assert.Equal(new MailParty("Bob Builder", "bob@example.com"), message.From);
        Assert.Equal(["me@example.com", "carol@example.com"], message.To.Select(p => p.Address));
        Assert.Equal("Re: Offsite plan", message.Subject);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 10, 15, 0, TimeSpan.Zero), message.Date);
        Assert.Equal("Can you book the venue?", message.OwnText);
        Assert.Null(message.InReplyTo);
        Assert.Empty(message.References);
        Assert.Matches("^generated-[0-9a-f]{16}@replydrafter\\.local$", message.MessageId);
        Assert.Equal(message.MessageId, Assert.Single(Read(path).Messages).MessageId);
    }

    [Fact]
    public void Read_OutlookForwardAsMarkdown_ParsesBoldHeadersAndMailto()
    {
        const string text = "**From:** Dana Scully [mailto:dana@example.com]\n"
            + "**Sent:** Monday, December 1, 2025 3:04 PM\n"
            + "**To:** Me\n"
            + "**Subject:** Findings\n"
            + "\n"
            + "Report follows.\n";
        var path = _folder.WriteText("forward.md", text);

        var message = Assert.Single(Read(path).Messages);

        Assert.Equal(new MailParty("Dana Scully", "dana@example.com"), message.From);
        Assert.Equal("Findings", message.Subject);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 15, 4, 0, TimeSpan.Zero), message.Date);
        Assert.Equal("Report follows.", message.Body);
    }

    [Fact]
    public void Read_TranscriptMentioningFromLater_StaysTranscript()
    {
        var lines = Enumerable.Range(0, 50).Select(i => $"Speaker {i % 2}: line {i}").ToList();
        lines.Add("From: someone quoting a header");
        lines.Add("Subject: not an email");
        var path = _folder.WriteText("meeting.md", string.Join('\n', lines));

        Assert.NotNull(Read(path).Transcript);
    }

    [Fact]
    public void Read_WhitespaceOnlyText_Unreadable()
    {
        var path = _folder.WriteText("blank.md", "  \n\n\t ");

        var error = Assert.Throws<UnreadableItemException>(() => Read(path));

        Assert.Equal("The file is empty.", error.Message);
    }
}
