namespace ReplyDrafter.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void MeOptions_IsMe_MatchesCaseInsensitively()
    {
        var me = new MeOptions { Email = "Me@Example.com" };
        Assert.True(me.IsMe("me@example.com"));
        Assert.False(me.IsMe("you@example.com"));
    }
}
