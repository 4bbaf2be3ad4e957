using System.Net;
using System.Net.Sockets;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Cli;

/// <summary><c>replay</c> and <c>status</c> are interactive: with the model down they say so after one attempt, not after the daemon's retry budget.</summary>
public sealed class InteractiveBudgetTests
{
    private static async Task<(DaemonHarness Harness, string Record)> ProcessedAsync()
    {
        var harness = await DaemonHarness.StartAsync();
        harness.Drop(MimeMessageBuilder.ToMe("a@example.com", "Budget for Q3"), "a.eml");
        var (code, _, error) = await harness.RunOnceAsync();
        Assert.True(code == 0, error);
        return (harness, (string)harness.FrontmatterOf(harness.Drafts().Single())["prompt_file"]!);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Replay_ServerKeepsFailing_OneAttemptThenExit1()
    {
        var (harness, record) = await ProcessedAsync();
        await using var _ = harness;
        int before = harness.Server.ChatRequests.Count;
        for (int i = 0; i < 6; i++)
        {
            harness.Server.Enqueue(FakeLlmReply.ServerError(503));
        }

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", record));

        Assert.Equal(1, code);
        Assert.Equal(before + 1, harness.Server.ChatRequests.Count);
        Assert.Contains("is not reachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ClosedPort_SaysNotReachableAfterOneAttempt()
    {
        var (harness, record) = await ProcessedAsync();
        await using var _ = harness;
        int port = ClosedPort();
        harness.Settings.Add($"--ReplyDrafter:Llm:Endpoint=http://127.0.0.1:{port}/v1");

        var (code, _, error) = await CommandLineTests.InvokeAsync(harness.Arguments("replay", record));

        Assert.Equal(1, code);
        Assert.Contains($"The LLM at http://127.0.0.1:{port}/v1 is not reachable", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" attempts", error, StringComparison.Ordinal); // "N attempts" only appears after retries
    }

    [Fact]
    public async Task RunOnce_ServerFailsOnce_TheDaemonStillRetries()
    {
        await using var harness = await DaemonHarness.StartAsync();
        harness.Server.Enqueue(FakeLlmReply.ServerError(503));
        harness.Drop(MimeMessageBuilder.ToMe("a@example.com", "Budget for Q3"), "a.eml");

        var (code, _, error) = await harness.RunOnceAsync();

        Assert.True(code == 0, error);
        Assert.Single(harness.Drafts());
        Assert.Equal(3, harness.Server.ChatRequests.Count); // the failed attempt, its retry, the draft
    }
}
