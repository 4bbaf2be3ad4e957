using ReplyDrafter.Mail;
using ReplyDrafter.Drafts;

namespace ReplyDrafter.Tests.Processing;

public sealed class AddressingTests
{
    private static readonly MeOptions s_me = new() { Name = "Ada Lovelace", Email = "ada@example.com" };

    private static EmailMessage Message(MailParty from, MailParty[] to, MailParty[]? cc = null, MailParty[]? replyTo = null, string? automated = null) =>
        new("m1@x", null, [], from, to, cc ?? [], replyTo ?? [], DateTimeOffset.UnixEpoch, "Hi", "body", "body", [], automated);

    private static readonly MailParty s_ada = new("Ada Lovelace", "ADA@example.com");
    private static readonly MailParty s_bob = new("Bob", "bob@example.com");
    private static readonly MailParty s_cyd = new("Cyd", "cyd@example.com");

    [Fact]
    public void WhyNoDraft_LastWordIsMine_GivesReason()
    {
        Assert.Equal("the last message is your own", Addressing.WhyNoDraft(Message(s_ada, [s_bob]), s_me));
    }

    [Fact]
    public void WhyNoDraft_Newsletter_GivesAutomatedReason()
    {
        Assert.Equal("bulk mail", Addressing.WhyNoDraft(Message(s_bob, [s_ada], automated: "bulk mail"), s_me));
    }

    [Fact]
    public void WhyNoDraft_NotAddressedToMe_GivesReason()
    {
        Assert.Equal("the last message is not addressed to you", Addressing.WhyNoDraft(Message(s_bob, [s_cyd]), s_me));
    }

    [Fact]
    public void WhyNoDraft_AddressedToMeInCc_IsNull()
    {
        Assert.Null(Addressing.WhyNoDraft(Message(s_bob, [s_cyd], cc: [s_ada]), s_me));
    }

    [Fact]
    public void ReplyAll_ReplyToSet_UsesItAndCcsOthersButMe()
    {
        var list = new MailParty("List", "list@example.com");
        var (to, cc) = Addressing.ReplyAll(Message(s_bob, [s_ada, s_cyd], cc: [s_bob], replyTo: [list]), s_me);

        Assert.Equal(list, to);
        Assert.Equal(["cyd@example.com", "bob@example.com"], cc.Select(p => p.Address));
    }

    [Fact]
    public void ReplyAll_NoReplyTo_AnswersSenderWithoutCcingThem()
    {
        var (to, cc) = Addressing.ReplyAll(Message(s_bob, [s_ada, s_bob]), s_me);

        Assert.Equal(s_bob, to);
        Assert.Empty(cc);
    }
}
