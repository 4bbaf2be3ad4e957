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
