using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Llm;

public sealed class ProviderRateLimitsTests
{
    private static ProviderRateLimits Limits(FakeTimeProvider time, int maxConcurrency = 4) =>
        new(Options.Create(new LlmOptions { MaxConcurrency = maxConcurrency }), time, new ListLogger<ProviderRateLimits>());

    private static HttpResponseMessage Answer(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private static HttpResponseMessage Requests(int limit, int remaining, string reset) => Answer(
        HttpStatusCode.OK,
        ("x-ratelimit-limit-requests", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("x-ratelimit-remaining-requests", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("x-ratelimit-reset-requests", reset));

    [Theory]
    [InlineData("20ms", 20)]
    [InlineData("1s", 1000)]
    [InlineData("6m0s", 360_000)]
    [InlineData("1h2m3.5s", 3_723_500)]
    [InlineData("0.25", 250)]
    public void Duration_ProviderFormats_Parse(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RateLimitHeaders.Duration(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    public void Duration_Unreadable_IsNull(string text)
    {
        Assert.Null(RateLimitHeaders.Duration(text));
    }

    [Fact]
    public async Task PaceAsync_HeadersSayNothingLeft_WaitsOneRefillInterval()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        // 10 requests, none left, full again in 2 s: one comes back every 200 ms.
        using var answer = Requests(10, 0, "2s");
        limits.Observe(answer, 1);

        var next = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await next;

        Assert.Equal(5, limits.RequestsPerSecond, 6);
    }

    [Fact]
    public async Task PaceAsync_HeadersSaySomeLeft_LetsThatManyGoAtOnceThenPaces()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        using var answer = Requests(10, 3, "700ms");
        limits.Observe(answer, 1);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        }

        var fourth = limits.PaceAsync(0, CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await fourth;
    }

    [Fact]
    public async Task PaceAsync_TokenLimit_WaitsUntilTheRequestsTokensFit()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        // 10,000 tokens a minute, 1,000 left: refills at 150 tokens/s.
        using var answer = Answer(
            HttpStatusCode.OK,
            ("x-ratelimit-limit-tokens", "10000"),
            ("x-ratelimit-remaining-tokens", "1000"),
            ("x-ratelimit-reset-tokens", "1m0s"));
        limits.Observe(answer, 1);

        Assert.True(limits.PaceAsync(800, CancellationToken.None).IsCompletedSuccessfully);
        var big = limits.PaceAsync(500, CancellationToken.None); // 200 left: 300 more needed, 2 s
        time.Advance(TimeSpan.FromMilliseconds(1990));
        Assert.False(big.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await big;
    }

    [Fact]
    public async Task Observe_429WithRetryAfter_PausesEveryCaller()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        using var answer = Answer(HttpStatusCode.TooManyRequests, ("retry-after-ms", "1500"));
        limits.Observe(answer, 1);

        var first = limits.PaceAsync(0, CancellationToken.None);
        var second = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Task.WhenAll(first, second);
    }

    [Fact]
    public void Observe_429WithoutHeaders_HalvesConcurrencyOncePerBurst()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time, maxConcurrency: 8);
        long[] burst = [limits.Concurrency.Sending(), limits.Concurrency.Sending(), limits.Concurrency.Sending()];

        foreach (long sequence in burst)
        {
            using var tooMany = Answer(HttpStatusCode.TooManyRequests);
            limits.Observe(tooMany, sequence);
        }

        Assert.Equal(4, limits.Concurrency.Limit);
        using var later = Answer(HttpStatusCode.TooManyRequests);
        limits.Observe(later, limits.Concurrency.Sending());
        Assert.Equal(2, limits.Concurrency.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_ShrinksOn429ThenGrowsBackOneSlotPerWindow()
    {
        using var concurrency = new AdaptiveConcurrency(4);
        var leases = new List<IDisposable>();
        for (int i = 0; i < 4; i++)
        {
            leases.Add(await concurrency.AcquireAsync(CancellationToken.None));
        }

        concurrency.OnRateLimited(concurrency.Sending());
        leases.ForEach(l => l.Dispose());

        // Running calls keep their slots; as they come back only two go out again.
        var a = concurrency.AcquireAsync(CancellationToken.None);
        var b = concurrency.AcquireAsync(CancellationToken.None);
        var c = concurrency.AcquireAsync(CancellationToken.None);
        Assert.Equal(2, concurrency.Limit);
        Assert.True(a.IsCompletedSuccessfully && b.IsCompletedSuccessfully);
        Assert.False(c.IsCompleted);

        concurrency.OnSuccess();
        Assert.False(c.IsCompleted);
        concurrency.OnSuccess();
        (await c).Dispose();
        Assert.Equal(3, concurrency.Limit);
        for (int i = 0; i < 3; i++)
        {
            concurrency.OnSuccess();
        }

        Assert.Equal(4, concurrency.Limit);
        for (int i = 0; i < 10; i++)
        {
            concurrency.OnSuccess();
        }

        Assert.Equal(4, concurrency.Limit); // MaxConcurrency is the ceiling
        (await a).Dispose();
        (await b).Dispose();
    }

    [Fact]
    public async Task SendAsync_ServerSendsRateLimitHeaders_PacesWithoutA429()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var time = new FakeTimeProvider();
        server.Clock = time;
        server.RateLimit = new FakeRateLimit(PerSecond: 10, Burst: 2);
        var options = server.CreateOptions();
        options.MaxConcurrency = 4;
        using var llm = new TestLlm(options, time);
        var started = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 12).Select(_ => llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None)));
        var responses = await TestLlm.DriveAsync(time, calls, TimeSpan.FromMilliseconds(10));

        Assert.Equal(12, responses.Length);
        Assert.Equal(0, server.RateLimitedCount);
        Assert.Equal(12, server.ChatRequestCount);
        // 2 at once, then 10 at 10 per second: at least a second of (fake) time.
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(0.99), $"took {time.GetUtcNow() - started}");
        Assert.InRange(llm.Limits.RequestsPerSecond, 9, 10.001); // the server rounds reset up to whole ms
    }

    [Fact]
    public async Task SendAsync_429WithoutHeaders_ConcurrencyShrinksThenGrowsBack()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var time = new FakeTimeProvider();
        server.Clock = time;
        server.RateLimit = new FakeRateLimit(PerSecond: 100, Burst: 1, SendHeaders: false, SendRetryAfter: false);
        var options = server.CreateOptions();
        options.MaxConcurrency = 4;
        options.RetryBaseDelay = TimeSpan.Zero;
        using var llm = new TestLlm(options, time);

        await llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None);
        // The clock is frozen: the bucket stays empty, every retry is answered 429, and each new 429 halves the limit.
        var error = await Assert.ThrowsAsync<LlmException>(() => llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None));
        Assert.Contains("HTTP 429", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, llm.Limits.Concurrency.Limit);

        var limits = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None);
            limits.Add(llm.Limits.Concurrency.Limit);
        }

        Assert.Equal([2, 2, 3, 3, 3, 4], limits);
    }
}
