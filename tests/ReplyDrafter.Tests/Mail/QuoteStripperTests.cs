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

    [Theory]
    [InlineData("As Bob wrote:\nwe should ship on Friday.\nPlease confirm.")]
    [InlineData("I wrote: the tests pass now.\nFrom: tomorrow on we release daily.")]
    [InlineData("She wrote this on 2025-12-01:\nthe budget is approved.")]
    [InlineData("Das hat Bob geschrieben:\nwir liefern am Freitag.\nVon: Montag an bin ich da.")]
    [InlineData("Danke.\nFrom: Alice to Bob the handover went fine.\nSubject: of the next meeting is the budget.")]
    public void OwnText_WroteOrFromInOwnText_KeepsEverything(string body) =>
        Assert.Equal(body, QuoteStripper.OwnText(body));

    [Theory]
    [InlineData("Tak.\n\nDen 1. des. 2025 kl. 10:00 skrev Alice Sender <alice@example.com\n>:\n\n> Passer tirsdag?")]
    [InlineData("Thanks.\n\n---- On Mon, 01 Dec 2025 10:00:00 +0100 Alice <alice@example.com> wrote ----\n\nCan we meet?")]
    [InlineData("Thanks.\n\nOn Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote\n\n> Can we meet?")]
    [InlineData("Thanks.\n\n11:00 AM, Mon, Dec 1, 2025, \"Alice\" <alice@example.com>:\n> Can we meet?")]
    [InlineData("Thanks.\n\nDe : Alice <alice@example.com>\nEnvoyé le : lundi 1 décembre 2025 10:00\nÀ : Moi\nObjet : Budget\n\nOld")]
    [InlineData("Thanks.\n\n-------- Oprindelig besked --------\nFra: Alice\nDato: 1. dec. 2025\n\nOld")]
    [InlineData("Thanks.\n\nAlice Sender kirjoitti 1.12.2025 klo 10.00:\n> Sopiiko tiistai?")]
    [InlineData("Merci.\n\n==== Message du : 01/12/2025 10:00 ====\nDe : Alice\nA : Moi\nObjet : Budget\n\nOld")]
    [InlineData("Merci.\n\n======== Message du : 01/12/2025 10:00 ========\nDe : \"Alice\" alice@example.com\n\nOld")]
    [InlineData("Tak.\n\nFra: Alice <alice@example.com>\nDato: 1. dec. 2025 kl. 10.00\nTil: mig\nEmne: Møde\n\nOld")]
    [InlineData("Thanks.\n\nOn 1 Dec 2025, at 10:00, Alice <alice@example.com> wrote\n\nCan we meet?")]
    [InlineData("Thanks.\n\n11:00, 1 December 2025, \"Alice Sender\" <alice@example.com>:\n\nCan we meet?")]
    [InlineData("Takk.\n\nman. 1. des. 2025 kl. 10:00 skrev Alice Sender <\nalice@example.com>:\n\n> Passer tirsdag?")]
    public void OwnText_IssueShapes_KeepsOnlyOwnText(string body) =>
        Assert.Equal(body[..body.IndexOf('\n', StringComparison.Ordinal)], QuoteStripper.OwnText(body));

    [Fact]
    public void OwnText_MailmanFooterWithSignOff_RemovesBoth()
    {
        const string body = "The patch works for me.\n\n-Bob\n\n_______________________________________________\nDev mailing list\ndev@lists.example.org\nhttps://lists.example.org/mailman/listinfo/dev";

        Assert.Equal("The patch works for me.", QuoteStripper.OwnText(body));
    }

    [Theory]
    [InlineData("Спасибо.", "Отправлено из Outlook для Android")]
    [InlineData("Tak.", "Sendt fra Outlook til Android")]
    [InlineData("Köszi.", "Az Outlook Android-verziójából küldve")]
    [InlineData("Teşekkürler.", "Android için Outlook'tan gönderildi")]
    [InlineData("谢谢。", "从 Android 版 Outlook 发送")]
    [InlineData("谢谢。", "获取 Android 版 Outlook")]
    [InlineData("Danke.", "Gesendet von Outlook für Android")]
    [InlineData("Merci.", "Envoyé à partir de Outlook pour iOS")]
    public void OwnText_LocalizedOutlookMobileSignatureAboveQuote_KeepsOnlyOwnText(string own, string signature)
    {
        var body = ReplyBody.TopPost(own, signature + "\n\nOn Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:", "> Can we meet?");

        Assert.Equal(own, QuoteStripper.OwnText(body));
    }

    [Theory]
    [InlineData("Alice Sender\n_______________________________________________\nusers mailing list\nusers@lists.example.org\nhttp://lists.example.org/listinfo/users")]
    [InlineData("- Bob\n\n_______________________________________________\nPython-Dev mailing list\nPython-Dev@example.org\nhttps://mail.example.org/mailman/listinfo/python-dev")]
    public void OwnText_ListFooterUnderShortSignOff_RemovesFooter(string footer)
    {
        var body = ReplyBody.TopPost("The patch works for me.", footer, string.Empty);

        var own = QuoteStripper.OwnText(body);

        Assert.StartsWith("The patch works for me.", own, StringComparison.Ordinal);
        Assert.DoesNotContain("mailing list", own, StringComparison.Ordinal);
        Assert.DoesNotContain("listinfo", own, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnText_QuoteHardWrappedAtItsLastLine_DropsTheWrappedWords()
    {
        var body = ReplyBody.TopPost("Tuesday works.", "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:",
            "> We could meet on Tuesday afternoon in the small room next to the\nkitchen\n> if that suits everyone. Otherwise Wednesday morning would also be\nfine\n");

        Assert.Equal("Tuesday works.", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_AnswerBelowUnfinishedQuoteLine_IsKept()
    {
        // An answer under a quote starts its own sentence; only lower-case words continuing the quote are taken for it.
        var body = ReplyBody.BottomPost("On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:",
            "> We could meet on Tuesday afternoon in the small room next to the kitchen", "Yes");

        Assert.Equal("Yes", QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_QuoteHardWrappedByClient_DropsTheWrappedWords()
    {
        var body = ReplyBody.BottomPost("On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:",
            "> We could meet on Tuesday afternoon in the small room next to the\nkitchen\n> if that suits everyone.", "Tuesday works.");

        Assert.Equal("Tuesday works.", QuoteStripper.OwnText(body));
    }

    [Theory]
    [InlineData("Bob wrote:\nagreed\n")]
    [InlineData("On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n> Tuesday?\nYes, Tuesday.\n")]
    [InlineData("> We could meet on Tuesday afternoon in the small room next to the\nkitchen\n\n\n\n")]
    public void OwnText_ReplyOfRepeatedBlocks_WorkLinearInLength(string block)
    {
        // Every block asks what follows it; a scan to the end per block would make twice the text four times the work.
        // The time per MB is measured in the bench (--trim).
        var (small, smallLines) = Visits(block, 200_000);
        var (large, largeLines) = Visits(block, 400_000);

        Assert.InRange((double)large / small, 1.9, 2.1);
        Assert.InRange(large, largeLines, 4L * largeLines);
        Assert.InRange(small, smallLines, 4L * smallLines);
    }

    [Fact]
    public void OwnText_ReplyFullOfBareAttributions_KeepsThemAndDropsTheFinalQuote()
    {
        var body = string.Concat(Enumerable.Repeat("Bob wrote:\nagreed\n", 1_000)) + "> last quote";

        var own = QuoteStripper.OwnText(body);

        Assert.StartsWith("Bob wrote:\nagreed\nBob wrote:", own, StringComparison.Ordinal);
        Assert.DoesNotContain("last quote", own, StringComparison.Ordinal);
    }

    private static (long Visited, long Lines) Visits(string block, int chars)
    {
        var body = string.Concat(Enumerable.Repeat(block, chars / block.Length)) + "> last quote";
        QuoteStripper.OwnText(body, CancellationToken.None, out var visited);
        return (visited, body.Count(c => c == '\n') + 1);
    }
}
