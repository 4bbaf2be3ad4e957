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

    [Fact]
    public async Task Save_BatchesSettlingOnManyThreads_WritesOnlyRisingMarksEndingAtTheLast()
    {
        var uids = new SettledUids(0);
        for (uint uid = 1; uid <= 2000; uid++)
        {
            uids.Open(uid);
        }

        var written = new List<uint>();
        void Write(uint mark) => written.Add(mark); // called one writer at a time
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (uint uid = (uint)worker + 1; uid <= 2000; uid += 8)
            {
                if (uids.Settle(uid))
                {
                    uids.Save(Write);
                }
            }
        })));

        Assert.Equal(2000u, written[^1]);
        Assert.Equal(written.Order(), written);
        Assert.Equal(written.Distinct().Count(), written.Count);
    }

    [Fact]
    public void Save_NothingMovedSinceTheStateWasRead_WritesNothingUnlessForced()
    {
        var uids = new SettledUids(7);
        var written = new List<uint>();

        uids.Save(written.Add);
        Assert.Empty(written);

        uids.Save(written.Add, force: true);
        Assert.Equal([7u], written);
    }
}
