using System.Text;
using MimeKit;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

public sealed class InboxItemReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static EmailMessage ReadSingle(string path) =>
        Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);

    [Fact]
    public void Read_PlainEml_ReturnsHeadersAndBody()
    {
        var path = MimeMessageBuilder.Create()
            .From("Alice Sender", "alice@example.com")
            .To("Me Myself", "me@example.com")
            .Cc("Carol", "carol@example.com")
            .Subject("Budget 2026")
            .MessageId("<abc@example.com>")
            .Date("2025-12-01T09:30:00+01:00")
            .PlainBody("Hi,\n\nCan you review the budget?\n\nThanks")
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("abc@example.com", message.MessageId);
        Assert.Equal(new MailParty("Alice Sender", "alice@example.com"), message.From);
        Assert.Equal([new MailParty("Me Myself", "me@example.com")], message.To);
        Assert.Equal([new MailParty("Carol", "carol@example.com")], message.Cc);
        Assert.Equal("Budget 2026", message.Subject);
        Assert.Equal(new DateTimeOffset(2025, 12, 1, 9, 30, 0, TimeSpan.FromHours(1)), message.Date);
        Assert.Equal("Hi,\n\nCan you review the budget?\n\nThanks", message.Body);
        Assert.Null(message.AutomatedReason);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Read_HtmlOnlyWindows1252_DecodesAndKeepsStructure()
    {
        const string html = "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
            + "<p>Grüße aus Köln – der Preis ist 12 €.</p><p>Zeile eins<br>Zeile zwei</p><ul><li>Erster Punkt</li><li>Zweiter</li></ul></body></html>";
        var path = MimeMessageBuilder.Create().HtmlBody(html, "windows-1252", ContentEncoding.QuotedPrintable).WriteEml(_folder);

        var body = ReadSingle(path).Body;

        Assert.Equal("Grüße aus Köln – der Preis ist 12 €.\n\nZeile eins\nZeile zwei\n\n- Erster Punkt\n- Zweiter", body);
    }

    [Theory]
    [InlineData(ContentEncoding.QuotedPrintable)]
    [InlineData(ContentEncoding.Base64)]
    [InlineData(ContentEncoding.EightBit)]
    public void Read_TransferEncodings_DecodeBody(ContentEncoding encoding)
    {
        var path = MimeMessageBuilder.Create().PlainBody("Ünïcödé body — 📅 ok", "utf-8", encoding).WriteEml(_folder);

        Assert.Equal("Ünïcödé body — 📅 ok", ReadSingle(path).Body);
    }

    [Fact]
    public void Read_Rfc2047SubjectAndName_Decoded()
    {
        var eml = "From: =?ISO-8859-1?Q?Andr=E9_M=FCller?= <andre@example.com>\r\nTo: me@example.com\r\n"
            + "Subject: =?UTF-8?B?QnVkZ2V0IMO8YmVyYXJiZWl0ZXQg8J+ThQ==?=\r\nDate: Mon, 01 Dec 2025 10:00:00 +0000\r\n"
            + "Message-ID: <x@y>\r\n\r\nHello\r\n";
        var path = _folder.WriteText("rfc2047.eml", eml);

        var message = ReadSingle(path);

        Assert.Equal("André Müller", message.From.Name);
        Assert.Equal("Budget überarbeitet 📅", message.Subject);
    }

    [Fact]
    public void Read_MojibakeSubjectNameAndBody_Repaired()
    {
        var path = MimeMessageBuilder.Create()
            .From(MojibakeMaker.AsMacRoman("Karén Simonyan"), "karen@example.com")
            .Subject(MojibakeMaker.AsWindows1252("Réunion – don’t forget 📅"))
            .PlainBody(MojibakeMaker.AsWindows1252("Priority ⏫ — café at 10"))
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("Karén Simonyan", message.From.Name);
        Assert.Equal("Réunion – don’t forget 📅", message.Subject);
        Assert.Equal("Priority ⏫ — café at 10", message.Body);
    }

    [Fact]
    public void Read_MultipartAlternative_PrefersPlainText()
    {
        var path = MimeMessageBuilder.Create().AlternativeBody("Plain words", "<p>Html words</p>").WriteEml(_folder);

        Assert.Equal("Plain words", ReadSingle(path).Body);
    }

    [Fact]
    public void Read_OutlookReplyWithoutReferences_HasInReplyToAndOwnText()
    {
        var path = MimeMessageBuilder.Create()
            .Subject("RE: Budget")
            .InReplyToOnly("<orig@example.com>")
            .PlainBody("Approved.\r\n\r\nFrom: Me Myself <me@example.com>\r\nSent: Monday, December 1, 2025 9:00 AM\r\nTo: Alice\r\nSubject: Budget\r\n\r\nPlease approve.")
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("orig@example.com", message.InReplyTo);
        Assert.Empty(message.References);
        Assert.Equal("Approved.", message.OwnText);
        Assert.Contains("Please approve.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GmailReplyWithSignature_OwnTextIsJustTheReply()
    {
        var path = MimeMessageBuilder.Create()
            .ReplyTo("<b@example.com>", "<a@example.com>")
            .PlainBody("Tuesday works.\n\n-- \nAlice\n\nOn Mon, Dec 1, 2025 at 10:00 AM Me <me@example.com> wrote:\n> When?\n")
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("Tuesday works.", message.OwnText);
        Assert.Equal(["a@example.com", "b@example.com"], message.References);
        Assert.Equal("b@example.com", message.InReplyTo);
    }

    [Fact]
    public void Read_HtmlGmailReply_BlockquoteStripped()
    {
        const string html = "<div>Sure, see you.</div><div class=\"gmail_quote\"><div>On Mon, Dec 1, 2025 at 10:00 AM Me &lt;me@example.com&gt; wrote:</div>"
            + "<blockquote class=\"gmail_quote\"><p>Lunch?</p></blockquote></div>";
        var path = MimeMessageBuilder.Create().HtmlBody(html).WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("Sure, see you.", message.OwnText);
        Assert.Contains("> Lunch?", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Newsletter_IsAutomated()
    {
        var path = MimeMessageBuilder.Create().Newsletter().WriteEml(_folder);

        Assert.Equal("newsletter (List-Unsubscribe, no List-Post)", ReadSingle(path).AutomatedReason);
    }

    [Theory]
    [InlineData("Precedence", "bulk", "bulk mail (Precedence: bulk)")]
    [InlineData("Auto-Submitted", "auto-replied", "automatic message (Auto-Submitted: auto-replied)")]
    public void Read_AutomaticHeaders_ReasonGiven(string header, string value, string expected)
    {
        var path = MimeMessageBuilder.Create().Header(header, value).WriteEml(_folder);

        Assert.Equal(expected, ReadSingle(path).AutomatedReason);
    }

    [Theory]
    [InlineData("no-reply@github.com")]
    [InlineData("noreply@example.com")]
    [InlineData("notifications@service.example.com")]
    [InlineData("MAILER-DAEMON@mx.example.com")]
    public void Read_AutomaticSender_IsAutomated(string address)
    {
        var path = MimeMessageBuilder.Create().From("Service", address).WriteEml(_folder);

        Assert.Equal($"automatic sender ({address})", ReadSingle(path).AutomatedReason);
    }

    [Fact]
    public void Read_AutoSubmittedNoAndSuppressHeaderAlone_NotAutomated()
    {
        var path = MimeMessageBuilder.Create()
            .Header("Auto-Submitted", "no")
            .Header("X-Auto-Response-Suppress", "All")
            .WriteEml(_folder);

        Assert.Null(ReadSingle(path).AutomatedReason);
    }

    [Fact]
    public void Read_OutOfOfficeSubject_IsAutomated()
    {
        var path = MimeMessageBuilder.Create().Subject("Automatic reply: Budget").WriteEml(_folder);

        Assert.NotNull(ReadSingle(path).AutomatedReason);
    }

    [Fact]
    public void Read_ThreeMegabyteAttachment_SizeReportedBodyFine()
    {
        const int size = 3 * 1024 * 1024 + 17;
        var path = MimeMessageBuilder.Create()
            .PlainBody("See attached.")
            .Attachment("report.pdf", size, "application/pdf")
            .Attachment("photo.jpg", 1000, "image/jpeg")
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("See attached.", message.Body);
        Assert.Equal(
            [new AttachmentInfo("report.pdf", "application/pdf", size), new AttachmentInfo("photo.jpg", "image/jpeg", 1000)],
            message.Attachments);
    }

    [Fact]
    public void Read_MissingMessageId_SynthesizedDeterministically()
    {
        var path = MimeMessageBuilder.Create().WithoutHeader("Message-Id").WriteEml(_folder);

        var first = ReadSingle(path).MessageId;
        var second = ReadSingle(path).MessageId;

        Assert.Matches("^generated-[0-9a-f]{16}@replydrafter\\.local$", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Read_MissingDate_UsesNewestReceivedDate()
    {
        var eml = "Received: from a by b; Mon, 01 Dec 2025 10:00:00 +0000\r\n"
            + "Received: from c by d; Mon, 01 Dec 2025 10:05:00 +0000\r\n"
            + "From: alice@example.com\r\nSubject: No date\r\n\r\nHello\r\n";
        var path = _folder.WriteText("nodate.eml", eml);

        Assert.Equal(new DateTimeOffset(2025, 12, 1, 10, 5, 0, TimeSpan.Zero), ReadSingle(path).Date);
    }

    [Fact]
    public void Read_NoDateNoReceived_UsesTheFileArrivalTimeAndAStableId()
    {
        var path = _folder.WriteText("nodate.eml", "From: alice@example.com\r\nSubject: No date\r\n\r\nHello\r\n");
        var arrived = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, arrived);
        var first = ReadSingle(path);
        File.SetLastWriteTimeUtc(path, arrived.AddDays(1));

        var again = ReadSingle(path);

        Assert.Equal(new DateTimeOffset(arrived), first.Date);
        Assert.Equal(first.MessageId, again.MessageId);
    }

    [Fact]
    public void Read_GroupAddress_Flattened()
    {
        var eml = "From: alice@example.com\r\nTo: Team: bob@example.com, Carol <carol@example.com>;, dave@example.com\r\nSubject: x\r\n\r\nHi\r\n";
        var path = _folder.WriteText("group.eml", eml);

        Assert.Equal(["bob@example.com", "carol@example.com", "dave@example.com"], ReadSingle(path).To.Select(p => p.Address));
    }

    [Fact]
    public void Read_EmptyFile_Unreadable()
    {
        var path = _folder.WriteBytes("empty.eml", []);

        var error = Assert.Throws<UnreadableItemException>(() => InboxItemReader.Read(path, CancellationToken.None));

        Assert.Equal("The file is empty.", error.Message);
    }

    [Fact]
    public void Read_RandomBytes_UnreadableWithExplanation()
    {
        var bytes = new byte[5000];
        new Random(42).NextBytes(bytes);
        var path = _folder.WriteBytes("random.eml", bytes);

        var error = Assert.Throws<UnreadableItemException>(() => InboxItemReader.Read(path, CancellationToken.None));

        Assert.Contains("does not look like an email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TextWithoutHeaders_Unreadable()
    {
        var path = _folder.WriteText("notes.eml", "Just some notes\nwithout any headers at all.\n\nMore text.");

        var error = Assert.Throws<UnreadableItemException>(() => InboxItemReader.Read(path, CancellationToken.None));

        Assert.Contains("no mail headers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownExtension_Unreadable()
    {
        var path = _folder.WriteText("invoice.pdf", "%PDF-1.4");

        var error = Assert.Throws<UnreadableItemException>(() => InboxItemReader.Read(path, CancellationToken.None));

        Assert.Contains(".pdf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedMime_KeepsHeadersAndText()
    {
        var full = MimeMessageBuilder.Create()
            .Subject("Cut off")
            .PlainBody("First paragraph survives.\n\nSecond paragraph too.")
            .Attachment("big.bin", 50_000)
            .ToBytes();
        var text = Encoding.ASCII.GetString(full);
        var cut = text.IndexOf("Content-Transfer-Encoding: base64", StringComparison.Ordinal) + 200;
        var path = _folder.WriteBytes("cut.eml", full[..cut]);

        var message = ReadSingle(path);

        Assert.Equal("Cut off", message.Subject);
        Assert.Contains("First paragraph survives.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedInsideHeaders_KeepsWhatIsThere()
    {
        var path = _folder.WriteText("cut.eml", "From: Alice <alice@example.com>\r\nSubject: Half a mess");

        var message = ReadSingle(path);

        Assert.Equal("alice@example.com", message.From.Address);
    }

    [Fact]
    public void Read_HugeHeader_DoesNotCrash()
    {
        var path = MimeMessageBuilder.Create()
            .Header("X-Huge", new string('a', 200 * 1024))
            .Subject("Huge " + new string('b', 200 * 1024))
            .PlainBody("Body after huge header.")
            .WriteEml(_folder);

        var message = ReadSingle(path);

        Assert.Equal("Body after huge header.", message.Body);
        Assert.True(message.Subject.Length <= 1001);
    }

    [Fact]
    public void Read_EnormousBody_TruncatedWithMarker()
    {
        var path = MimeMessageBuilder.Create().PlainBody(string.Concat(Enumerable.Repeat("All work and no play. ", 20_000))).WriteEml(_folder);

        var body = ReadSingle(path).Body;

        Assert.EndsWith("[… truncated]", body, StringComparison.Ordinal);
        Assert.True(body.Length <= MimeMessageConverter.MaxBodyChars + 20);
    }

    [Fact]
    public void Read_UnknownCharsetLabel_FallsBackToDetection()
    {
        var bytes = MojibakeMaker.ToWindows1252("Prix: 12 € pour le café, déjà payé.");
        var path = MimeMessageBuilder.Create().RawBody("plain", bytes, "x-bogus-charset").WriteEml(_folder);

        Assert.Equal("Prix: 12 € pour le café, déjà payé.", ReadSingle(path).Body);
    }

    [Fact]
    public void Read_Utf8BytesLabelledAscii_DecodedAsUtf8()
    {
        var path = MimeMessageBuilder.Create().RawBody("plain", Encoding.UTF8.GetBytes("Grüße 📅"), "us-ascii").WriteEml(_folder);

        Assert.Equal("Grüße 📅", ReadSingle(path).Body);
    }

    [Fact]
    public void Read_MboxWithThreeMessages_ReturnsAllInOrder()
    {
        var messages = new[]
        {
            MimeMessageBuilder.Create().MessageId("m1@x").Subject("One").PlainBody("From here on, first.").Build(),
            MimeMessageBuilder.Create().MessageId("m2@x").Subject("Re: One").ReplyTo("m1@x").PlainBody("Second").Build(),
            MimeMessageBuilder.Create().MessageId("m3@x").Subject("Three").HtmlBody("<p>Third</p>").Build(),
        };
        var path = Mbox.Write(_folder, "box.mbox", messages);

        var content = InboxItemReader.Read(path, CancellationToken.None);

        Assert.Null(content.Transcript);
        Assert.Equal(["m1@x", "m2@x", "m3@x"], content.Messages.Select(m => m.MessageId));
        Assert.Equal("From here on, first.", content.Messages[0].Body);
        Assert.Equal("Third", content.Messages[2].Body);
    }

    [Fact]
    public void Read_MboxWithoutFromLine_Unreadable()
    {
        var path = _folder.WriteText("box.mbox", "This is not a mailbox\nat all\n");

        Assert.Throws<UnreadableItemException>(() => InboxItemReader.Read(path, CancellationToken.None));
    }

    [Fact]
    public void Read_Cancelled_Throws()
    {
        var path = MimeMessageBuilder.Create().WriteEml(_folder);

        Assert.ThrowsAny<OperationCanceledException>(() => InboxItemReader.Read(path, new CancellationToken(canceled: true)));
    }
}
