using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>A server that stops answering without closing the connection (stopped process, forgetful NAT).</summary>
[Collection(DovecotGroup.Name)]
public sealed class ImapSilentServerTests(DovecotServer server)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2); // ImapClient.Timeout's default

    [Fact]
    public async Task RunAsync_ServerGoesSilentWhileIdle_OneWarningThenReadsAgainOnceItAnswers()
    {
        var user = server.NewUser();
        await using var proxy = new FreezingProxy(server.Port);
        var options = server.Options(user);
        options.Port = proxy.Port;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(options, time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        proxy.Freeze();
        var reconnecting = harness.WaitForStateAsync(ImapConnectionStatus.Reconnecting, next: true);
        time.Advance(ImapMailboxSource.IdleRefresh); // the IDLE ends: DONE goes out, no answer comes back
        var silentFor = TimeSpan.Zero;
        while (!reconnecting.IsCompleted)
        {
            // The IDLE may have gone out only now (Idle is reported just before it): advance until the answer is overdue.
            time.Advance(TimeSpan.FromSeconds(10));
            silentFor += TimeSpan.FromSeconds(10);
            await Task.WhenAny(reconnecting, Task.Delay(20));
        }

        await reconnecting;
        Assert.True(silentFor >= AnswerTimeout, $"dropped after {silentFor} of silence");

        Assert.Contains("has not answered for 120 s", harness.State.Current.Reason, StringComparison.Ordinal);
        var warning = Assert.Single(harness.Log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("has not answered", warning.Message, StringComparison.Ordinal);

        // The server answers again: the watch reconnects and reads what arrived meanwhile.
        proxy.Thaw();
        await server.AppendAsync(user, "INBOX", SourceHarness.Mail("while-silent@x"), DateTimeOffset.UtcNow);
        await harness.AdvanceThroughBackOffsAsync(harness.WaitForDeliveredAsync(1), options.ReconnectDelay);
        Assert.Equal("while-silent@x", Assert.Single(harness.Delivered).Message.MessageId);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_IdleWithNoNewsForHours_NeverDroppedForSilence()
    {
        var user = server.NewUser();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new SourceHarness(server.Options(user), time);
        using var stop = new CancellationTokenSource();
        var run = await harness.RunUntilIdleAsync(stop.Token);

        // Within one IDLE the server says nothing for longer than the answer timeout; then the IDLE is re-issued.
        var reissued = harness.WaitForStateAsync(ImapConnectionStatus.Idle, next: true);
        time.Advance(AnswerTimeout + TimeSpan.FromSeconds(1));
        time.Advance(ImapMailboxSource.IdleRefresh - AnswerTimeout);
        await reissued;

        Assert.DoesNotContain(ImapConnectionStatus.Reconnecting, harness.History);
        Assert.DoesNotContain(harness.Log.Entries, e => e.Level >= LogLevel.Warning);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
