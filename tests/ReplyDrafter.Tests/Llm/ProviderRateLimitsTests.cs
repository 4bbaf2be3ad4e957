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

    /// <summary>An answer to a request not known to the limits (as if sent just now) reads these request figures.</summary>
    private static void Read(ProviderRateLimits limits, int limit, int remaining, string reset, long sequence)
    {
        using var answer = Requests(limit, remaining, reset);
        limits.Observe(answer, sequence);
    }

    /// <summary>Exactly <paramref name="count"/> requests may go now; the next one waits.</summary>
    private static void AssertGoAtOnceThenWait(ProviderRateLimits limits, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully, $"request {i + 1}");
        }

        Assert.False(limits.PaceAsync(0, CancellationToken.None).IsCompleted);
    }

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
    public async Task PaceAsync_HeadersSayNothingLeft_WaitsUntilReset()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        // 10 requests, none left, all back in 2 s: whether a bucket or a window, they are there at 2 s (plus 1 % margin).
        Read(limits, 10, 0, "2s", 1);

        var next = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(2019));
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await next;

        Assert.Equal(5, limits.RequestsPerSecond, 6);
        for (int i = 0; i < 9; i++)
        {
            Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.False(limits.PaceAsync(0, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task PaceAsync_HeadersSaySomeLeft_LetsThatManyGoAtOnceThenWaitsForReset()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        Read(limits, 10, 3, "700ms", 1);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        }

        var fourth = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(709));
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await fourth;
    }

    [Fact]
    public void Observe_NewerReadingShowsMoreLeft_ThatManyGoAtOnce()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        // One request used, nothing back for 10 s: a rate derived from this (0.1/s) must not be kept.
        Read(limits, 10, 0, "10s", 1);
        time.Advance(TimeSpan.FromSeconds(1));
        Read(limits, 10, 8, "200ms", 2);

        AssertGoAtOnceThenWait(limits, 8);
    }

    [Fact]
    public async Task Observe_AnswerToAnOlderRequest_CountsWhatWasSentSince()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        Read(limits, 10, 10, "0ms", 1);
        var early = await limits.PaceAsync(0, CancellationToken.None);
        for (int i = 0; i < 4; i++)
        {
            await limits.PaceAsync(0, CancellationToken.None);
        }

        // The first request's answer arrives last: the server had 9 left when it came, and 4 went after it.
        time.Advance(TimeSpan.FromMilliseconds(300));
        using var late = Requests(10, 9, "1s");
        limits.Observe(late, 1, early);

        for (int i = 0; i < 5; i++)
        {
            Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully, $"request {i + 1}");
        }

        var next = limits.PaceAsync(0, CancellationToken.None);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(710)); // its reset counts from when it was sent
        await next;
    }

    [Fact]
    public async Task Observe_LatestRequestCountedBeforeEarlierOnes_TheyAreSubtractedFromItsFigure()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        // A window of 10 with its end 1 s away; three requests go, a millisecond apart.
        Read(limits, 10, 10, "1s", 1);
        var sent = new List<PacingTicket>();
        for (int i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            sent.Add(await limits.PaceAsync(0, CancellationToken.None));
        }

        // The server counted the third first (9 left), then the first (8), then the second (7); the answers come in
        // the order sent. The third's figure alone would let 9 more go, but only 7 are left.
        time.Advance(TimeSpan.FromMilliseconds(200));
        using var first = Requests(10, 8, "797ms");
        using var second = Requests(10, 7, "796ms");
        using var third = Requests(10, 9, "795ms");
        limits.Observe(first, 2, sent[0]);
        limits.Observe(second, 3, sent[1]);
        limits.Observe(third, 4, sent[2]);

        AssertGoAtOnceThenWait(limits, 7);
    }

    [Fact]
    public async Task Observe_EarlierRequestAnsweredLaterWasCountedLater_OneLessLeft()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        Read(limits, 10, 10, "1s", 1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var earlier = await limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var later = await limits.PaceAsync(0, CancellationToken.None);

        // The later request's answer comes first (9 left after it); the earlier one was counted after it (8 left).
        time.Advance(TimeSpan.FromMilliseconds(200));
        using var laterAnswer = Requests(10, 9, "998ms");
        using var earlierAnswer = Requests(10, 8, "999ms");
        limits.Observe(laterAnswer, 3, later);
        limits.Observe(earlierAnswer, 2, earlier);

        AssertGoAtOnceThenWait(limits, 8);
    }

    [Fact]
    public async Task Observe_LaterReadingsEndLooksEarlierAfterALongerTrip_TheStepKeepsTheLatestEnd()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        var start = time.GetUtcNow();
        Read(limits, 10, 10, "1s", 1);
        time.Advance(TimeSpan.FromMilliseconds(20));
        var slow = await limits.PaceAsync(0, CancellationToken.None);

        // The window ends 1 s after the start; this request took 30 ms to get there, so its reset (950 ms left when it
        // arrived) reads as an end 30 ms early on our clock. The step waits for the end the first reading showed.
        time.Advance(TimeSpan.FromMilliseconds(200));
        using var none = Requests(10, 0, "950ms");
        limits.Observe(none, 2, slow);

        var next = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(start + TimeSpan.FromMilliseconds(1000) - time.GetUtcNow());
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(20));
        await next;
    }

    [Theory]
    [InlineData(9, 8, 8, 8)] // the earlier one had not arrived yet: it comes after, and 8 are left
    [InlineData(8, 9, 7, 8)] // it had been counted already: held back until its answer says so, then 8 are left
    public async Task Observe_LaterAnsweredWhileAnEarlierIsOnItsWay_TheEarlierIsHeldBackUntilItsAnswer(
        int laterRemaining, int earlierRemaining, int goAtOnce, int goInAll)
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        Read(limits, 10, 10, "1s", 1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var earlier = await limits.PaceAsync(0, CancellationToken.None);
        limits.Departed(earlier);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var later = await limits.PaceAsync(0, CancellationToken.None);
        limits.Departed(later);

        // The later request is answered first; whether the server has counted the earlier one yet, its figure cannot
        // tell until the earlier one's own answer comes.
        time.Advance(TimeSpan.FromMilliseconds(200));
        using var laterAnswer = Requests(10, laterRemaining, "998ms");
        limits.Observe(laterAnswer, 3, later);
        limits.Settled(later);
        var next = Enumerable.Range(0, 9).Select(_ => limits.PaceAsync(0, CancellationToken.None)).ToList();
        Assert.Equal(goAtOnce, next.Count(t => t.IsCompletedSuccessfully));

        // Waiters wake in no set order: whichever checks first takes what the earlier answer gave back.
        var waiting = next.Where(t => !t.IsCompleted).ToList();
        using var earlierAnswer = Requests(10, earlierRemaining, "999ms");
        limits.Observe(earlierAnswer, 2, earlier);
        limits.Settled(earlier);
        if (goInAll > goAtOnce)
        {
            await Task.WhenAny(waiting).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(goInAll, next.Count(t => t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task PaceAsync_WaitingForTheStepWhenAReadingShowsRoom_GoesAtOnce()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        Read(limits, 10, 0, "1s", 1);
        var waiting = limits.PaceAsync(0, CancellationToken.None);

        // A bucket refilled before the step: the next answer says 3 are there, and the waiting request need not sleep on.
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(waiting.IsCompleted);
        Read(limits, 10, 3, "700ms", 2);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendAsync_ProbeAnswered_StillOneScoutBeforeTheLimitsAreKnown()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        using var invoker = new HttpMessageInvoker(new RateLimitHandler(limits, new NoFigures()));

        // The start-up probe lists models: its answer says nothing about the model's limits.
        using var probe = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:9/v1/models");
        using var listed = await invoker.SendAsync(probe, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        AssertGoAtOnceThenWait(limits, 1);
    }

    /// <summary>A server that answers everything with 200 and no rate-limit headers.</summary>
    private sealed class NoFigures : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }

    [Fact]
    public void Requests_AzureRemainingOnly_ReadsWithoutLimitOrReset()
    {
        using var answer = Answer(HttpStatusCode.OK, ("x-ratelimit-remaining-requests", "7"));

        Assert.Equal(new RateLimitReading(0, 7, null), RateLimitHeaders.Requests(answer.Headers));
    }

    [Theory]
    [InlineData("-1", "-1", "0")]     // Azure's Responses API when it has no figures
    [InlineData("10", "11", "1s")]    // more left than the limit
    [InlineData("10", "5", "soon")]
    public void Requests_FiguresThatMakeNoSense_AreNoReading(string limit, string remaining, string reset)
    {
        using var answer = Answer(
            HttpStatusCode.OK,
            ("x-ratelimit-limit-requests", limit),
            ("x-ratelimit-remaining-requests", remaining),
            ("x-ratelimit-reset-requests", reset));

        Assert.Null(RateLimitHeaders.Requests(answer.Headers));
    }

    [Fact]
    public async Task PaceAsync_RemainingOnly_LetsThatManyGoThenAssumesAOneSecondWindow()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        using var answer = Answer(HttpStatusCode.OK, ("x-ratelimit-remaining-requests", "2"));
        limits.Observe(answer, 1);

        Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        var third = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(1009));
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await third;
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
        var big = limits.PaceAsync(500, CancellationToken.None); // 200 left: the rest is back at reset (1 min + 100 ms margin)
        time.Advance(TimeSpan.FromMilliseconds(60_099));
        Assert.False(big.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await big;
    }

    [Theory]
    [InlineData("retry-after-ms", "1500")]
    [InlineData("Retry-After", "1.5")]
    public async Task Observe_429WithRetryAfter_PausesEveryCaller(string header, string value)
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);
        using var answer = Answer(HttpStatusCode.TooManyRequests, (header, value));
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
        var responses = await llm.DriveAsync(time, calls, TimeSpan.FromMilliseconds(2));

        Assert.Equal(12, responses.Length);
        // The clock stands still while a request is on the wire (DriveAsync), but a request the pacing has just let go
        // can be slow to reach it on a loaded machine while the clock moves on: then its answer anchors a step that comes
        // early on the server's clock, and draws at most one 429 (the margin then widens).
        Assert.InRange(server.RateLimitedCount, 0, 1);
        Assert.Equal(12 + server.RateLimitedCount, server.ChatRequestCount);
        // 2 at once, then 10 at 10 per second: at least a second of (fake) time, a little more for a slow start on a loaded
        // machine; the rate itself is checked below, and the bench measures the share of the limit really used.
        Assert.InRange((time.GetUtcNow() - started).TotalSeconds, 0.99, 1.5);
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

    [Fact]
    public async Task SendAsync_FixedWindowHeaders_UsesTheWholeWindow()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var time = new FakeTimeProvider();
        server.Clock = time;
        // 5 per fixed one-second window; reset = the window's end. Deriving a rate from used / reset ran at a fraction of this.
        server.RateLimit = new FakeRateLimit(PerSecond: 5, Burst: 5, Window: TimeSpan.FromSeconds(1));
        var options = server.CreateOptions();
        options.MaxConcurrency = 4;
        using var llm = new TestLlm(options, time);
        var started = time.GetUtcNow();

        var calls = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None)));
        var responses = await llm.DriveAsync(time, calls, TimeSpan.FromMilliseconds(2));

        Assert.Equal(20, responses.Length);
        // As above: a request slow to reach the wire after the pacing let it go can make a step back at a window's end
        // come early and draw a 429 (the margin then widens); the bench measures the real share.
        Assert.InRange(server.RateLimitedCount, 0, 4);
        // Four windows' worth, done by early in the fifth (slow starts on a loaded machine): nearly the whole limit of each
        // window is used, where deriving a rate from used / reset took about 16 s.
        Assert.InRange((time.GetUtcNow() - started).TotalSeconds, 3, 4.5);
    }

    [Fact]
    public void Observe_429sTheHeadersContradict_FallsBackToTheConcurrencyLimit()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time, maxConcurrency: 8);
        for (int i = 0; i < 3; i++)
        {
            // Told off while the answer says 9 of 10 are left.
            using var tooMany = Answer(
                HttpStatusCode.TooManyRequests,
                ("x-ratelimit-limit-requests", "10"),
                ("x-ratelimit-remaining-requests", "9"),
                ("x-ratelimit-reset-requests", "0ms"));
            limits.Observe(tooMany, limits.Concurrency.Sending());
        }

        Assert.True(limits.IgnoringHeaders);
        Assert.Equal(1, limits.Concurrency.Limit);
        using var later = Requests(10, 0, "10s");
        limits.Observe(later, limits.Concurrency.Sending());
        Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully, "headers no longer pace");
    }

    [Fact]
    public async Task SendAsync_Azure429Retried_OneLinePerRetryNamingTheStatusOnce()
    {
        await using var server = await FakeLlmServer.StartAsync();
        // Azure answers a 429 with error.code "429".
        server.Enqueue(FakeLlmReply.Error(429, "429", "Rate limit reached."), FakeLlmReply.Error(429, "429", "Rate limit reached."));
        var options = server.CreateOptions();
        using var llm = new TestLlm(options);

        await llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None);

        var retries = llm.Logger.Entries.Where(e => e.Message.Contains("retrying", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, e => Assert.Contains("(HTTP 429)", e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(llm.Logger.Entries, e => e.Message.Contains("429 429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaceAsync_BeforeTheFirstAnswer_OneScoutAtATimeThenEveryoneOnceItAnswers()
    {
        var time = new FakeTimeProvider();
        using var limits = Limits(time);

        Assert.True(limits.PaceAsync(0, CancellationToken.None).IsCompletedSuccessfully);
        var second = limits.PaceAsync(0, CancellationToken.None);
        var third = limits.PaceAsync(0, CancellationToken.None);
        time.Advance(ProviderRateLimits.ScoutPatience - TimeSpan.FromMilliseconds(1));
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        // The first scout has not answered: one more goes, not all.
        time.Advance(TimeSpan.FromMilliseconds(1));
        var next = await Task.WhenAny(second, third);
        Assert.False((next == second ? third : second).IsCompleted);

        Read(limits, 10, 8, "1s", 1);
        await (next == second ? third : second).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendAsync_FirstRequestHangs_TheOthersAreAnsweredWhileItIsHeld()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.HoldWhen = _ => true;
        var time = new FakeTimeProvider();
        var options = server.CreateOptions();
        options.AttemptTimeout = TimeSpan.FromMinutes(2);
        options.TotalBudget = TimeSpan.FromMinutes(5);
        using var llm = new TestLlm(options, time);

        var hung = llm.Client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None);
        await server.Held.WaitAsync(TimeSpan.FromSeconds(30));
        var others = Enumerable.Range(0, 4).Select(_ => llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None)).ToList();
        Assert.All(others, call => Assert.False(call.IsCompleted));

        // The next scout goes after ScoutPatience, its answer tells the limits, and the rest follow: no more time passes.
        time.Advance(ProviderRateLimits.ScoutPatience);
        var answered = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, answered.Length);
        Assert.False(hung.IsCompleted);
        server.ReleaseHeld();
        Assert.Equal(1, (await hung).Attempts);
    }
}
