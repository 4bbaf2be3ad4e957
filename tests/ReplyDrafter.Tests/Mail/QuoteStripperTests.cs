using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Mail;

public sealed class QuoteStripperTests
{
    [Fact]
    public void OwnText_GmailTopPost_RemovesAttributionAndQuote()
    {
        const string body = "Sounds good, let's meet Tuesday.\n\nOn Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n> Can we meet?\n> Thanks\n";

        Assert.Equal("Sounds good, let's meet Tuesday.", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_AttributionWrappedOverTwoLines_RemovesIt()
    {
        const string body = "Yes.\n\nOn Mon, Dec 1, 2025 at 10:00 AM Alice Sender <\nalice@example.com> wrote:\n\n> Can we meet?";

        Assert.Equal("Yes.", QuoteStripper.OwnText(body));
    }

    [Theory]
    [InlineData("Ja, passt.\n\nAm 01.12.2025 um 10:00 schrieb Alice <alice@example.com>:\n> Passt Dienstag?", "Ja, passt.")]
    [InlineData("D'accord.\n\nLe lun. 1 déc. 2025 à 10:00, Alice <alice@example.com> a écrit :\n> Mardi ?", "D'accord.")]
    public void OwnText_LocalizedAttribution_RemovesQuote(string body, string expected) =>
        Assert.Equal(expected, QuoteStripper.OwnText(body));

    [Fact]
    public void OwnText_OutlookHeaderBlockWithSeparator_CutsThere()
    {
        const string body = "Please see below.\r\n\r\n________________________________\r\nFrom: Bob <bob@example.com>\r\nSent: Monday, December 1, 2025 10:00 AM\r\nTo: Me\r\nSubject: Budget\r\n\r\nOld text";

        Assert.Equal("Please see below.", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_OutlookHeaderBlockWithoutSeparator_CutsThere()
    {
        const string body = "Agreed.\n\nFrom: Bob <bob@example.com>\nSent: Monday, December 1, 2025 10:00 AM\nTo: Me\nSubject: Budget\n\nOld text";

        Assert.Equal("Agreed.", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_OriginalMessageSeparator_CutsThere()
    {
        const string body = "Fine by me.\n\n-----Original Message-----\nFrom: Bob\nOld";

        Assert.Equal("Fine by me.", QuoteStripper.OwnText(body));
    }

    [Theory]
    [InlineData("See you then.\n-- \nAlice Sender\nACME Corp", "See you then.")]
    [InlineData("See you then.\n\nSent from my iPhone", "See you then.")]
    [InlineData("See you then.\n\nGet Outlook for iOS", "See you then.")]
    public void OwnText_Signature_RemovesIt(string body, string expected) =>
        Assert.Equal(expected, QuoteStripper.OwnText(body));

    [Fact]
    public void OwnText_InlineReplies_KeepsAnswersDropsQuotes()
    {
        const string body = "On Mon, Dec 1, 2025, Alice wrote:\n> Budget ok?\nYes, approved.\n> Date?\nFriday.";

        Assert.Equal("Yes, approved.\nFriday.", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_OnlyQuotes_FallsBackToFullBody()
    {
        const string body = "> just a quote\n> nothing else";

        Assert.Equal(body, QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_FromLineInOwnText_IsKept()
    {
        const string body = "From: the budget team we heard nothing.\nPlease chase them.";

        Assert.Equal(body, QuoteStripper.OwnText(body));
    }
}
