using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Mail;

public sealed class ThreadGrouperTests
{
    private static readonly DateTimeOffset Start = new(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static EmailMessage Message(string id, string subject, int hour, string? inReplyTo = null, params string[] references) =>
        new(id, inReplyTo, references, new MailParty("A", "a@example.com"), [], [], [], Start.AddHours(hour),
            subject, "body " + id, "body " + id, [], null);

    private static IReadOnlyList<MessageGroup> Group(IReadOnlyList<EmailMessage> messages,
        Func<string, string?>? byMessage = null, Func<string, string?>? bySubject = null) =>
        ThreadGrouper.Group(messages, byMessage ?? (_ => null), bySubject ?? (_ => null));

    [Fact]
    public void Group_ReferencesChain_OneThreadWithRootId()
    {
        var messages = new[]
        {
            Message("a@x", "Budget", 0),
            Message("b@x", "Re: Budget", 1, "a@x", "a@x"),
            Message("c@x", "Re: Budget", 2, "b@x", "a@x", "b@x"),
        };

        var group = Assert.Single(Group(messages));

        Assert.Equal("a@x", group.ThreadId);
        Assert.Equal(["a@x", "b@x", "c@x"], group.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Group_OutOfOrderArrival_SortsByDateAndKeepsRootId()
    {
        var messages = new[]
        {
            Message("c@x", "Re: Budget", 2, "b@x", "a@x", "b@x"),
            Message("a@x", "Budget", 0),
            Message("b@x", "Re: Budget", 1, "a@x", "a@x"),
        };

        var group = Assert.Single(Group(messages));

        Assert.Equal("a@x", group.ThreadId);
        Assert.Equal(["a@x", "b@x", "c@x"], group.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Group_RootMissingFromBatch_UsesFirstReference()
    {
        var messages = new[] { Message("c@x", "Re: Budget", 2, "b@x", "a@x", "b@x") };

        Assert.Equal("a@x", Assert.Single(Group(messages)).ThreadId);
    }

    [Fact]
    public void Group_OutlookReplyWithoutReferences_JoinsByInReplyTo()
    {
        var messages = new[]
        {
            Message("a@x", "Budget", 0),
            Message("b@x", "RE: Budget", 1, "a@x"),
        };

        var group = Assert.Single(Group(messages));
        Assert.Equal("a@x", group.ThreadId);
    }

    [Fact]
    public void Group_SiblingsSharingOnlyRoot_AreOneThread()
    {
        var messages = new[]
        {
            Message("b@x", "Re: Budget", 1, "a@x", "a@x"),
            Message("c@x", "Re: Budget", 2, "a@x", "a@x"),
        };

        Assert.Single(Group(messages));
    }

    [Fact]
    public void Group_DuplicateMessageIds_KeepsFirst()
    {
        var first = Message("a@x", "Budget", 0);
        var duplicate = first with { Body = "other copy" };

        var group = Assert.Single(Group([first, duplicate]));

        Assert.Same(first, Assert.Single(group.Messages));
    }

    [Fact]
    public void Group_UnrelatedFreshMessagesWithSameSubject_StaySeparate()
    {
        var messages = new[]
        {
            Message("a@x", "Quick question", 0),
            Message("b@x", "Quick question", 1),
        };

        Assert.Equal(2, Group(messages).Count);
    }

    [Fact]
    public void Group_ReplySubjectWithoutHeaders_JoinsFreshOriginal()
    {
        var messages = new[]
        {
            Message("a@x", "Offsite plan", 0),
            Message("fwd@x", "Fwd: Re: Offsite plan", 1),
        };

        var group = Assert.Single(Group(messages));
        Assert.Equal("a@x", group.ThreadId);
    }

    [Fact]
    public void Group_HeaderlessMessageMatchingThreadSubjectInBatch_JoinsThatThread()
    {
        var messages = new[]
        {
            Message("b@x", "Re: Offsite plan", 1, "a@x", "a@x"),
            Message("text@x", "Offsite plan", 2),
        };

        var group = Assert.Single(Group(messages));
        Assert.Equal("a@x", group.ThreadId);
    }

    [Fact]
    public void Group_ReplyWithHeaders_IsNotMergedBySubject()
    {
        var messages = new[]
        {
            Message("b@x", "Re: Status", 1, "a@x", "a@x"),
            Message("d@x", "Re: Status", 2, "c@x", "c@x"),
        };

        Assert.Equal(["a@x", "c@x"], Group(messages).Select(g => g.ThreadId));
    }

    [Fact]
    public void Group_MessageKnownToLedger_UsesKnownThreadId()
    {
        var messages = new[] { Message("c@x", "Re: Budget", 2, "b@x", "b@x") };

        var group = Assert.Single(Group(messages, byMessage: id => id == "b@x" ? "thread-root@x" : null));

        Assert.Equal("thread-root@x", group.ThreadId);
    }

    [Fact]
    public void Group_TwoBatchMessagesInSameKnownThread_AreMerged()
    {
        var messages = new[]
        {
            Message("c@x", "Re: Budget", 2, "b@x"),
            Message("d@x", "Re: Budget", 3, "z@x"),
        };

        var group = Assert.Single(Group(messages, byMessage: id => id is "b@x" or "z@x" ? "t1" : null));

        Assert.Equal("t1", group.ThreadId);
        Assert.Equal(2, group.Messages.Count);
    }

    [Fact]
    public void Group_ReplySubjectKnownToLedger_UsesKnownThread()
    {
        var messages = new[] { Message("fwd@x", "Re: Budget", 2) };
        string? seen = null;

        var group = Assert.Single(Group(messages, bySubject: s =>
        {
            seen = s;
            return s == "Budget" ? "t-budget" : null;
        }));

        Assert.Equal("Budget", seen);
        Assert.Equal("t-budget", group.ThreadId);
    }

    [Fact]
    public void Group_MessageWithReplyHeaders_DoesNotAskSubjectLedger()
    {
        var messages = new[] { Message("b@x", "Re: Budget", 2, "a@x") };

        var group = Assert.Single(Group(messages, bySubject: _ => "wrong"));

        Assert.Equal("a@x", group.ThreadId);
    }

    [Fact]
    public void Group_SeveralThreads_OrderedByLatestMessage()
    {
        var messages = new[]
        {
            Message("late@x", "Late", 5),
            Message("early@x", "Early", 0),
            Message("mid-reply@x", "Re: Early", 9, "early@x", "early@x"),
        };

        var groups = Group(messages);

        Assert.Equal(["late@x", "early@x"], groups.Select(g => g.ThreadId));
    }

    [Fact]
    public void Group_SameInputTwice_SameOutput()
    {
        var messages = new[]
        {
            Message("a@x", "A", 0), Message("b@x", "Re: A", 1, "a@x"), Message("c@x", "C", 1),
            Message("d@x", "Fwd: C", 3), Message("e@x", "E", 1),
        };

        var first = Group(messages);
        var second = Group(messages.Reverse().ToArray());

        Assert.Equal(first.Select(g => (g.ThreadId, string.Join(",", g.Messages.Select(m => m.MessageId)))),
            second.Select(g => (g.ThreadId, string.Join(",", g.Messages.Select(m => m.MessageId)))));
    }
}
