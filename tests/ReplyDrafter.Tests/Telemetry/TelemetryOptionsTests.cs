using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Tests.EndToEnd;

namespace ReplyDrafter.Tests.Telemetry;

/// <summary><c>ReplyDrafter:Telemetry</c> is checked at start like every other section.</summary>
public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("IncludeContent", "maybe")]
    [InlineData("OtlpEndpoint", "collector:4317")]
    public async Task RunOnce_BadTelemetrySetting_StopsAtStartNamingTheKey(string key, string value)
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Settings.Add($"--ReplyDrafter:Telemetry:{key}={value}");
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await ReplyDrafterCommandLine.InvokeAsync(
            harness.Arguments("run", "--once"),
            static settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.AddReplyDrafter();
                builder.AddReplyDrafterTelemetry();
                return builder;
            },
            CliConsole.Writers(TextWriter.Synchronized(output), TextWriter.Synchronized(error)));

        Assert.Equal(CliHost.ConfigurationError, code);
        Assert.Contains("ReplyDrafter:Telemetry:" + key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, harness.Server.ChatRequestCount);
    }
}
