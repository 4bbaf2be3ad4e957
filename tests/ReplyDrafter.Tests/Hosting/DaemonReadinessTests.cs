using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Hosting;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;

namespace ReplyDrafter.Tests.Hosting;

/// <summary>The daemon says READY only once it really works: after the vault lock and the LLM probe.</summary>
public sealed class DaemonReadinessTests
{
    [Fact]
    public async Task Run_Daemon_ReadyAfterProbeThenWatchdogAndStopping()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var socketPath = harness.Vault.Path("notify");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        using var stop = new CancellationTokenSource();

        var run = Task.Run(() => ReplyDrafterCommandLine.InvokeAsync(harness.Arguments("run"), settings =>
        {
            var builder = Host.CreateApplicationBuilder(settings);
            builder.AddReplyDrafter();
            builder.AddReplyDrafterServiceHosting();
            builder.Services.Replace(ServiceDescriptor.Singleton(sp =>
                new ServiceReadiness(new SystemdNotifySocket(socketPath), TimeSpan.FromMinutes(10), sp.GetRequiredService<IHostApplicationLifetime>())));
            builder.Services.AddHostedService(sp => new StopOn(sp.GetRequiredService<IHostApplicationLifetime>(), stop.Token));
            return builder;
        }, CliConsole.Writers(TextWriter.Null, TextWriter.Null)));

        var ready = await ServiceReadinessTests.ReceiveAsync(systemd);
        var probedBefore = harness.Server.Requests.Count(r => !r.IsChat);

        Assert.StartsWith("READY=1\nSTATUS=Watching ", ready, StringComparison.Ordinal);
        Assert.True(probedBefore >= 1, "READY came before the LLM probe");
        using (var second = VaultLock.TryAcquire(harness.Vault.Layout.State))
        {
            Assert.Null(second);
        }

        Assert.Equal("WATCHDOG=1", await ServiceReadinessTests.ReceiveAsync(systemd));

        await stop.CancelAsync();
        Assert.Equal("STOPPING=1", await ServiceReadinessTests.ReceiveAsync(systemd));
        Assert.Equal(0, await run);
    }

    /// <summary>Stops the host when the test says so (as SIGTERM would).</summary>
    private sealed class StopOn(IHostApplicationLifetime lifetime, CancellationToken token) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, stoppingToken);
            await Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            if (token.IsCancellationRequested)
            {
                lifetime.StopApplication();
            }
        }
    }
}
