using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Mail;

public sealed class SubjectNormalizerTests
{
    [Theory]
    [InlineData("Budget 2026", "Budget 2026")]
    [InlineData("Re: Budget 2026", "Budget 2026")]
    [InlineData("RE: Re: FW: Budget 2026", "Budget 2026")]
    [InlineData("Fwd: Re[2]: Budget", "Budget")]
    [InlineData("AW: WG: Angebot", "Angebot")]
    [InlineData("SV: VS: Antw: Réf: TR: Sujet", "Sujet")]
    [InlineData("[team-list] Re: Budget", "Budget")]
    [InlineData("Re:   Budget    plan  ", "Budget plan")]
    [InlineData("re : budget", "budget")]
    [InlineData("Fw: Re(3): Plan", "Plan")]
    [InlineData("Reply needed: Plan", "Reply needed: Plan")]
    [InlineData("Review: Plan", "Review: Plan")]
    [InlineData("", "")]
    public void Normalize_Prefixes_StripsThem(string subject, string expected) =>
        Assert.Equal(expected, SubjectNormalizer.Normalize(subject));

    [Theory]
    [InlineData("Budget", "Re: Budget")]
    [InlineData("Re: Budget", "Re: Budget")]
    [InlineData("RE: Fwd: Re: Budget", "Re: Budget")]
    [InlineData("[list] AW: Budget", "Re: Budget")]
    public void ReplySubject_AnySubject_HasExactlyOneRe(string subject, string expected) =>
        Assert.Equal(expected, SubjectNormalizer.ReplySubject(subject));

    [Theory]
    [InlineData("Re: x", true)]
    [InlineData("[tag] Fwd: x", true)]
    [InlineData("[tag] x", false)]
    [InlineData("Regarding x", false)]
    public void IsReplyOrForward_Subject_DetectsPrefix(string subject, bool expected) =>
        Assert.Equal(expected, SubjectNormalizer.IsReplyOrForward(subject));
}

public sealed class SubjectFallbackTests
{
    [Theory]
    [InlineData("Re: RE: Fwd:")]
    [InlineData("AW: WG:")]
    [InlineData("SV:")]
    [InlineData("回复：")]
    [InlineData("Réf. :")]
    [InlineData("")]
    public void SubjectOrFallback_OnlyPrefixes_UsesEarlierSubject(string subject) =>
        Assert.Equal("Budget 2026", SubjectNormalizer.SubjectOrFallback(subject, ["Budget 2026", "Re:", ""], "Sure."));

    [Fact]
    public void SubjectOrFallback_NewestEarlierSubjectWins() =>
        Assert.Equal("Budget v2", SubjectNormalizer.SubjectOrFallback("Re:", ["Budget", "Re: Budget v2", "Fwd:"], "x"));

    [Fact]
    public void SubjectOrFallback_NoEarlierSubject_FirstWordsOfText() =>
        Assert.Equal("Could you send me the signed contract by…",
            SubjectNormalizer.SubjectOrFallback("Re: RE: Fwd:", [], "\n\nCould you send me the signed contract by Friday please?\nThanks"));

    [Fact]
    public void SubjectOrFallback_ShortText_NoEllipsis() =>
        Assert.Equal("Lunch tomorrow?", SubjectNormalizer.SubjectOrFallback("Re:", ["", "Fwd:"], "Lunch tomorrow?"));

    [Fact]
    public void SubjectOrFallback_RealSubject_Kept() =>
        Assert.Equal("Plan", SubjectNormalizer.SubjectOrFallback("Re: Plan", ["Budget"], "text"));

    [Fact]
    public void SubjectOrFallback_NothingAnywhere_Empty() =>
        Assert.Equal(string.Empty, SubjectNormalizer.SubjectOrFallback("Re:", [null, ""], "  \n "));

    [Theory]
    [InlineData("回复：会议安排", "会议安排")]
    [InlineData("转发: 会议安排", "会议安排")]
    [InlineData("Réf. : Dossier 12", "Dossier 12")]
    [InlineData("RES: ENC: Orçamento", "Orçamento")]
    public void Normalize_MorePrefixes_Stripped(string subject, string expected) =>
        Assert.Equal(expected, SubjectNormalizer.Normalize(subject));
}

public sealed class ReplySubjectFallbackTests
{
    [Fact]
    public void ReplySubject_PrefixesOnly_UsesEarlierSubject() =>
        Assert.Equal("Re: Budget", SubjectNormalizer.ReplySubject("Re: RE: Fwd:", ["Budget"], "ok"));

    [Fact]
    public void ReplySubject_NothingToFallBackTo_BareRe() =>
        Assert.Equal("Re:", SubjectNormalizer.ReplySubject("AW:", [], ""));
}
