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
    public void Build_NonAsciiText_BodyHashHeaderMatchesTheDecodedBody()
    {
        var draft = ImapDraftWriterTests.Draft("Grüße, Çağrı — ça va ?");

        var message = DraftMessageBuilder.Build(draft, quoteOriginal: true);
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        var parsed = MimeMessage.Load(stream);

        Assert.StartsWith("Grüße, Çağrı — ça va ?", parsed.TextBody, StringComparison.Ordinal);
        Assert.Equal(parsed.Headers[DraftMessageBuilder.BodyHashHeader], DraftMessageBuilder.BodyHash(parsed.TextBody));
    }
}
