using ReplyDrafter.Cli;
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
        var (code, _, error) = await harness.RunOnceAsProgramAsync();

        Assert.Equal(CliHost.ConfigurationError, code);
        Assert.Contains("ReplyDrafter:Telemetry:" + key, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(0, harness.Server.ChatRequestCount);
    }
}
