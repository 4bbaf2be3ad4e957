using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

public sealed class SettledUidsTests
{
    [Fact]
    public void IsDue_UidOutWithTheConsumer_NotDueUntilGivenBack()
    {
        var uids = new SettledUids(0);
        uids.Open(1);
        uids.Open(2);

        Assert.False(uids.IsDue(1));
        Assert.True(uids.IsDue(3));
        uids.GiveBack(1);
        Assert.True(uids.IsDue(1));
        Assert.False(uids.IsDue(2));
    }

    [Fact]
    public void Settle_LaterUidsWhileTheFirstIsOut_LastStaysBelowItThenJumpsToWhatWasLookedAt()
    {
        var uids = new SettledUids(0);
        uids.Open(1);
        uids.Open(2);

        Assert.False(uids.Settle(2));
        Assert.False(uids.LookedUpTo(5));
        Assert.Equal(0u, uids.Last);
        Assert.False(uids.IsDue(2));
        Assert.False(uids.IsDue(4));

        Assert.True(uids.Settle(1));
        Assert.Equal(5u, uids.Last);
        Assert.False(uids.HasOpen);
    }
}
