using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// How much of a provider's rate limit the real client uses, and how often it is told off: the tests' fake server in
/// process enforces 25 requests/s (a token bucket of 25, OpenAI-style <c>x-ratelimit-*</c> headers, 429 with
/// <c>retry-after-ms</c> beyond), and 200 emails' worth of calls (a note and a draft each) go through
/// <see cref="LlmClient"/> at <c>MaxConcurrency</c> 16, on the real clock.
/// </summary>
internal static class ThroughputReport
{
    private const double PerSecond = 25;
    private const int Burst = 25;
    private const int Emails = 200;
    private const int MaxConcurrency = 16;

    /// <summary>Each answer takes this long, so 16 calls in flight could go well past the limit (16 / 0.2 s = 80/s).</summary>
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    public static async Task RunAsync(TextWriter output)
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.RateLimit = new FakeRateLimit(PerSecond, Burst);
        server.ResponseDelay = Latency;
        var options = server.CreateOptions();
        options.MaxConcurrency = MaxConcurrency;
        options.BreakerMinimumThroughput = 16;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(200);

        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddLogging();
        services.AddLlmClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<LlmClient>();
        var prompts = new PromptLibrary(Options.Create(new ReplyDrafterOptions()));
        var note = Prepare(prompts, "thread-note", options);
        var draft = Prepare(prompts, "draft-reply", options);

        var clock = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, Emails).Select(async _ =>
        {
            await client.SendAsync(note, CancellationToken.None);
            await client.SendAsync(draft, CancellationToken.None);
        });
        await Task.WhenAll(calls);
        clock.Stop();

        int answered = Emails * 2;
        int requests = server.ChatRequestCount;
        double seconds = clock.Elapsed.TotalSeconds;
        // The most the server would have accepted in that time: its full bucket plus the refill.
        double allowed = Burst + (PerSecond * seconds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Throughput against a provider allowing {PerSecond:0} requests/s (bucket {Burst}), {Emails} emails = {answered} calls, MaxConcurrency {MaxConcurrency}, answer latency {Latency.TotalMilliseconds:0} ms"));
        output.WriteLine();
        output.WriteLine("| figure | value |");
        output.WriteLine("| --- | ---: |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| wall time | {seconds:0.00} s |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| share of the limit used (answered / (bucket + 25/s × time)) | {answered / allowed:0.000} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| requests sent | {requests} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| answered 429 | {server.RateLimitedCount} ({100.0 * server.RateLimitedCount / requests:0.0} %) |"));
    }

    private static LlmRequest Prepare(PromptLibrary prompts, string step, LlmOptions options)
    {
        var variables = new Dictionary<string, string>
        {
            ["me_name"] = "Sam Taylor",
            ["me_email"] = "sam.taylor@example.com",
            ["me_style"] = "Short and direct.",
            ["today"] = "2025-12-03",
            ["subject"] = "Budget",
            ["participants"] = "Alice Moreau <alice@example.com>",
            ["known_people"] = "Alice Moreau",
            ["source_kind"] = "email",
            ["recipient_name"] = "Alice Moreau",
            ["note_summary"] = "Alice wants the budget by Friday.",
            ["urgency"] = "high",
            ["urgency_reason"] = "Deadline Friday.",
            ["thread"] = "From: Alice Moreau <alice@example.com>\n\nCan you send the revised budget by Friday?",
        };
        var template = prompts.Get(step);
        var used = variables.Where(v => template.Inputs.Contains(v.Key)).ToDictionary();
        return template.Prepare(step, prompts.DisplayPath(step), used, options, ["<m1@example.com>"]);
    }
}
