using MimeKit;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

public sealed class DraftMessageBuilderTests
{
    [Fact]
    public void Build_QuoteOriginalOff_BodyIsResponseAndSignatureOnly()
    {
        var message = DraftMessageBuilder.Build(ImapDraftWriterTests.Draft("Yes."), quoteOriginal: false);

        Assert.Equal("Yes.\n\nBest,\nMe\n", message.TextBody!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Build_SameDraftTwice_SameMessageIdInTheSendersDomain()
    {
        var first = DraftMessageBuilder.Build(ImapDraftWriterTests.Draft("Yes."), quoteOriginal: true);
        var again = DraftMessageBuilder.Build(ImapDraftWriterTests.Draft("Yes."), quoteOriginal: true);
        var other = DraftMessageBuilder.Build(ImapDraftWriterTests.Draft("No."), quoteOriginal: true);

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.NotEqual(first.MessageId, other.MessageId);
        Assert.EndsWith("@example.com", first.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_InReplyToMissingFromReferences_IsAppendedLast()
    {
        var draft = ImapDraftWriterTests.Draft("Yes.") with { References = ["<q0@example.com>"], MessageId = "<mine@example.com>" };

        var message = DraftMessageBuilder.Build(draft, quoteOriginal: true);

        Assert.Equal(["q0@example.com", "q2@example.com"], message.References);
        Assert.Equal("mine@example.com", message.MessageId);
    }

    [Fact]
    public void Build_NonAsciiText_QuotedPrintableAndNoInternalHeader()
    {
        var draft = ImapDraftWriterTests.Draft("Grüße, Çağrı — ça va ?");

        var message = DraftMessageBuilder.Build(draft, quoteOriginal: true);
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        var raw = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;
        var parsed = MimeMessage.Load(stream);

        Assert.StartsWith("Grüße, Çağrı — ça va ?", parsed.TextBody, StringComparison.Ordinal);
        Assert.Equal(ContentEncoding.QuotedPrintable, Assert.IsType<TextPart>(parsed.Body).ContentTransferEncoding);
        Assert.True(raw.All(char.IsAscii), "no raw 8-bit bytes on the wire");
        Assert.DoesNotContain(parsed.Headers, header => header.Field.StartsWith("X-ReplyDrafter", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Build_AsciiText_SevenBit()
    {
        var message = DraftMessageBuilder.Build(ImapDraftWriterTests.Draft("Yes, Tuesday works."), quoteOriginal: true);

        Assert.Equal(ContentEncoding.SevenBit, Assert.IsType<TextPart>(message.Body).ContentTransferEncoding);
    }

    [Fact]
    public void Build_FiveThousandReferences_KeepsTheFirstAndTheLastTwenty()
    {
        var chain = Enumerable.Range(0, 5000).Select(i => $"<r{i}@example.com>").Append("<q2@example.com>").ToList();
        var draft = ImapDraftWriterTests.Draft("Yes.") with { References = chain };

        var message = DraftMessageBuilder.Build(draft, quoteOriginal: false);

        Assert.Equal(21, message.References.Count);
        Assert.Equal("r0@example.com", message.References[0]);
        Assert.Equal([.. Enumerable.Range(4981, 19).Select(i => $"r{i}@example.com"), "q2@example.com"], message.References.Skip(1));
        Assert.True(message.Headers[HeaderId.References]!.Length < 2000);
    }
}
