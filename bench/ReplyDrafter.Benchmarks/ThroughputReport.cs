using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// How much of a provider's rate limit the real client uses, and how often it is told off: the tests' fake server in
/// process enforces 25 requests/s, and 200 emails' worth of calls (a note and a draft each) go through
/// <see cref="LlmClient"/> at <c>MaxConcurrency</c> 16, on the real clock. Three servers: OpenAI-style (a bucket of 25
/// refilled continuously, <c>reset</c> = time until full), window-style (25 per fixed one-second window, <c>reset</c> =
/// the window's end), and one whose headers make no sense (always "all left", 429s all the same). Before the clock starts
/// the SDK is warmed up and the server probed, as the daemon does at start; the cold start of the limits (one scout
/// until the first answer) is measured.
/// </summary>
internal static class ThroughputReport
{
    private const double PerSecond = 25;
    private const int Burst = 25;
    private const int MaxConcurrency = 16;

    /// <summary>Each answer takes this long, so 16 calls in flight could go well past the limit (16 / 0.2 s = 80/s).</summary>
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);

    private static readonly (string Name, FakeRateLimit Limit)[] Servers =
    [
        ("bucket", new FakeRateLimit(PerSecond, Burst)),
        ("window", new FakeRateLimit(PerSecond, Burst, Window: TimeSpan.FromSeconds(1))),
        ("nonsense", new FakeRateLimit(PerSecond, Burst, LyingHeaders: true)),
    ];

    /// <param name="args"><c>--emails N</c> (default 200) and the names of the servers to run (default all).</param>
    public static async Task RunAsync(TextWriter output, IReadOnlyList<string> args)
    {
        int emails = 200;
        int at = args.ToList().IndexOf("--emails");
        if (at >= 0 && at + 1 < args.Count)
        {
            emails = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
        }

        var chosen = Servers.Where(s => args.Contains(s.Name)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Throughput against a provider allowing {PerSecond:0} requests/s, {emails} emails = {emails * 2} calls, MaxConcurrency {MaxConcurrency}, answer latency {Latency.TotalMilliseconds:0} ms"));
        output.WriteLine();
        output.WriteLine("| server | wall time | share of the limit used | steady state (from 2 s on) | requests sent | answered 429 | emails failed |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, limit) in chosen.Count > 0 ? chosen : [.. Servers])
        {
            await RunOneAsync(output, name, limit, emails);
        }

        output.WriteLine();
        output.WriteLine("Share of the limit used = answered / (25 + 25/s × wall time): the most the server accepts in that time. It");
        output.WriteLine("includes the cold start (one scout request until the first answer says what the limits are) and the last");
        output.WriteLine("answers' latency. Steady state = requests the server let through from 2 s after the first until the last,");
        output.WriteLine("per second, over 25/s (a fixed window lets a whole window's worth through at its start, so there it can");
        output.WriteLine("read a little above 1).");
    }

    private static async Task RunOneAsync(TextWriter output, string name, FakeRateLimit limit, int emails)
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.RateLimit = limit;
        server.ResponseDelay = Latency;
        var options = server.CreateOptions();
        options.MaxConcurrency = MaxConcurrency;
        options.BreakerMinimumThroughput = 16;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
        options.MaxRetries = 10;
        options.TotalBudget = TimeSpan.FromMinutes(10);

        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddLogging();
        services.AddLlmClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<LlmClient>();
        var prompts = new PromptLibrary(Options.Create(new ReplyDrafterOptions()));
        var note = Prepare(prompts, "thread-note", options);
        var draft = Prepare(prompts, "draft-reply", options);

        // As the daemon does at start: the SDK's first call compiles its code (StartupWarmup), and the probe opens the
        // connection (GET /models, which neither counts against the limit nor tells it). Neither is pacing.
        await LlmWarmup.AnswerAsync(note.Settings, CancellationToken.None);
        await LlmWarmup.AnswerAsync(draft.Settings, CancellationToken.None);
        if (await client.ProbeAsync(CancellationToken.None) is { } down)
        {
            throw new InvalidOperationException(down);
        }

        int failed = 0;
        var clock = Stopwatch.StartNew();
        var calls = Enumerable.Range(0, emails).Select(async _ =>
        {
            try
            {
                await client.SendAsync(note, CancellationToken.None);
                await client.SendAsync(draft, CancellationToken.None);
            }
            catch (LlmException)
            {
                Interlocked.Increment(ref failed);
            }
        });
        await Task.WhenAll(calls);
        clock.Stop();

        int answered = server.ChatRequestCount - server.RateLimitedCount;
        int requests = server.ChatRequestCount;
        double seconds = clock.Elapsed.TotalSeconds;
        double allowed = Burst + (PerSecond * seconds);
        var accepted = server.AcceptedAt;
        var steadyFrom = accepted[0] + TimeSpan.FromSeconds(2);
        var steady = accepted.Where(t => t > steadyFrom).ToList();
        double steadyShare = steady.Count > 1 ? (steady.Count - 1) / (steady[^1] - steady[0]).TotalSeconds / PerSecond : double.NaN;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {seconds:0.00} s | {answered / allowed:0.000} | {steadyShare:0.000} | {requests} | {server.RateLimitedCount} ({100.0 * server.RateLimitedCount / requests:0.0} %) | {failed} |"));
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
            ["style_examples"] = "",
            ["style_example_ids"] = "",
            ["thread"] = "From: Alice Moreau <alice@example.com>\n\nCan you send the revised budget by Friday?",
        };
        var template = prompts.Get(step);
        var used = variables.Where(v => template.Inputs.Contains(v.Key)).ToDictionary();
        return template.Prepare(step, prompts.DisplayPath(step), used, options, ["<m1@example.com>"]);
    }
}
