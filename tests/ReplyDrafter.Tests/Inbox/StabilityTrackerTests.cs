using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Inbox;

namespace ReplyDrafter.Tests.Inbox;

public sealed class StabilityTrackerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IsStable_OldFileSeenFirstTime_IsReadyAtOnce()
    {
        var tracker = new StabilityTracker(new FakeTimeProvider(s_now), TimeSpan.FromSeconds(2));

        Assert.True(tracker.IsStable("a.eml", 100, s_now.UtcDateTime.AddMinutes(-5), s_now));
    }

    [Fact]
    public void IsStable_FreshFile_WaitsUntilUnchangedForStableFor()
    {
        var tracker = new StabilityTracker(new FakeTimeProvider(s_now), TimeSpan.FromSeconds(2));
        var modified = s_now.UtcDateTime;

        Assert.False(tracker.IsStable("a.eml", 100, modified, s_now));
        Assert.False(tracker.IsStable("a.eml", 100, modified, s_now.AddSeconds(1)));
        Assert.True(tracker.IsStable("a.eml", 100, modified, s_now.AddSeconds(2)));
    }

    [Fact]
    public void IsStable_FileStillGrowing_RestartsTheWait()
    {
        var tracker = new StabilityTracker(new FakeTimeProvider(s_now), TimeSpan.FromSeconds(2));
        var modified = s_now.UtcDateTime;

        Assert.False(tracker.IsStable("a.eml", 100, modified, s_now));
        Assert.False(tracker.IsStable("a.eml", 200, modified.AddSeconds(1.5), s_now.AddSeconds(1.5)));
        Assert.False(tracker.IsStable("a.eml", 200, modified.AddSeconds(1.5), s_now.AddSeconds(3)));
        Assert.True(tracker.IsStable("a.eml", 200, modified.AddSeconds(1.5), s_now.AddSeconds(3.5)));
    }

    [Fact]
    public void Check_RealFiles_SplitsReadyAndSettling()
    {
        using var vault = new TempVault();
        var old = Path.Combine(vault.Layout.Inbox, "old.eml");
        var fresh = Path.Combine(vault.Layout.Inbox, "fresh.eml");
        File.WriteAllText(old, "x");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));
        File.WriteAllText(fresh, "y");
        var tracker = new StabilityTracker(TimeProvider.System, TimeSpan.FromMinutes(10));

        var (ready, settling) = tracker.Check([old, fresh]);

        Assert.Equal([old], ready);
        Assert.Equal(1, settling);
    }
}
