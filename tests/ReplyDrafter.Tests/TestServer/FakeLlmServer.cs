using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.TestServer;

/// <summary>
/// An OpenAI-compatible (and Azure OpenAI) chat server on 127.0.0.1 for tests: answers schema-valid notes and drafts by
/// default, records every request, and misbehaves on cue (<see cref="Enqueue"/>).
/// <code>
/// await using var server = await FakeLlmServer.StartAsync();
/// var options = server.CreateOptions();           // points ReplyDrafter:Llm at the server, tiny delays
/// server.Enqueue(FakeLlmReply.ServerError());     // next request fails, the one after succeeds
/// </code>
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    /// <summary>A distinctive key: tests assert it never shows up in records or logs.</summary>
    public const string ApiKey = "sk-fake-7f3c9e1d2b4a-NEVER-WRITE-ME";

    public const string Model = "fake-model";

    public const string Fingerprint = "fp_fake_0001";

    private readonly ConcurrentQueue<DateTimeOffset> _acceptedAt = new();
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeLlmReply> _faults = new();
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private readonly Lock _bucketLock = new();
    private readonly List<(int Count, TaskCompletionSource Seen)> _waiters = [];
    private readonly TaskCompletionSource<FakeLlmRequest> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holding;
    private int _chatRequestCount;
    private int _inFlight;
    private int _maxInFlight;
    private int _rateLimited;
    private double _bucket = double.NaN;
    private DateTimeOffset _bucketUpdated;
    private long _windowIndex = -1;
    private int _windowUsed;

    private FakeLlmServer(WebApplication app, Func<FakeLlmRequest, FakeLlmReply>? responder)
    {
        _app = app;
        Responder = responder ?? DefaultResponder;
    }

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What <c>ReplyDrafter:Llm:Endpoint</c> is for the OpenAI provider (Ollama style, with /v1).</summary>
    public string OpenAIEndpoint => BaseUrl + "/v1";

    /// <summary>Answers a chat request when no fault is queued. Replace it to script content.</summary>
    public Func<FakeLlmRequest, FakeLlmReply> Responder { get; set; }

    /// <summary>What the default thread-note answer says in <c>reply.needed</c>.</summary>
    public bool ReplyNeeded { get; set; } = true;

    /// <summary>Added before every chat answer (to make concurrency observable).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>When set, chat requests beyond this rate are answered 429 (a token bucket of <see cref="FakeRateLimit.Burst"/>, or fixed windows).</summary>
    public FakeRateLimit? RateLimit { get; set; }

    /// <summary>The clock of the rate limit: the tests' fake time, or the real one for the benchmark.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Reported as <c>usage.prompt_tokens_details.cached_tokens</c> in every answer (0: not reported).</summary>
    public int CachedTokens { get; set; }

    /// <summary>
    /// When set, the first chat request it matches is held unanswered (a hung model call) until <see cref="ReleaseHeld"/>;
    /// <see cref="Held"/> completes once that request has arrived.
    /// </summary>
    public Func<FakeLlmRequest, bool>? HoldWhen { get; set; }

    /// <summary>Completes when the request <see cref="HoldWhen"/> picked is being held.</summary>
    public Task<FakeLlmRequest> Held => _held.Task;

    /// <summary>Lets the held request be answered.</summary>
    public void ReleaseHeld() => _release.TrySetResult();

    /// <summary>Chat requests answered 429 by <see cref="RateLimit"/>.</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    /// <summary>When each request the rate limit let through was taken (on <see cref="Clock"/>), in order.</summary>
    public IReadOnlyList<DateTimeOffset> AcceptedAt => [.. _acceptedAt];

    public IReadOnlyList<FakeLlmRequest> Requests => [.. _requests];

    public IReadOnlyList<FakeLlmRequest> ChatRequests => [.. _requests.Where(r => r.IsChat)];

    public int ChatRequestCount => Volatile.Read(ref _chatRequestCount);

    /// <summary>The most chat requests that were being answered at the same time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeLlmServer> StartAsync(Func<FakeLlmRequest, FakeLlmReply>? responder = null)
    {
        var builder = LoopbackWeb.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeLlmServer(app, responder);

        app.MapPost("/v1/chat/completions", (RequestDelegate)(ctx => server.HandleChatAsync(ctx, null)));
        app.MapPost("/openai/deployments/{deployment}/chat/completions", (RequestDelegate)(ctx =>
            server.HandleChatAsync(ctx, ctx.Request.RouteValues["deployment"]?.ToString())));
        app.MapGet("/v1/models", (RequestDelegate)server.HandleModelsAsync);

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>The next requests get these answers, in order; after that the responder answers again.</summary>
    public void Enqueue(params FakeLlmReply[] replies)
    {
        foreach (var reply in replies)
        {
            _faults.Enqueue(reply);
        }
    }

    /// <summary>Completes once the server has received <paramref name="count"/> chat requests in all (wait on this, never sleep).</summary>
    public Task WaitForChatRequestsAsync(int count)
    {
        lock (_waiters)
        {
            if (ChatRequestCount >= count)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Options aimed at this server; retries come at once (no back-off), so tests on a frozen fake clock never wait.</summary>
    public LlmOptions CreateOptions(LlmProvider provider = LlmProvider.OpenAI) => new()
    {
        Provider = provider,
        Endpoint = provider == LlmProvider.OpenAI ? OpenAIEndpoint : BaseUrl,
        Deployment = Model,
        ApiKey = ApiKey,
        ApiVersion = provider == LlmProvider.AzureOpenAI ? "2024-10-21" : null,
        Temperature = 0.3,
        MaxConcurrency = 4,
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalBudget = TimeSpan.FromSeconds(60),
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.Zero,
        BreakDuration = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        ReleaseHeld();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A thread-note answer that fits <c>prompts/thread-note.prompty</c>.</summary>
    public static string CannedNote(bool replyNeeded) => new JsonObject
    {
        ["title"] = "Budget review for Project Apollo",
        ["kind"] = "projects",
        ["project"] = "Apollo",
        ["person"] = null,
        ["summary"] = "Alice asks for the revised Q3 budget before Friday's review.",
        ["participants"] = new JsonArray("Alice Example", "Myself"),
        ["action_items"] = new JsonArray(new JsonObject
        {
            ["task"] = "Send the revised Q3 budget to Alice",
            ["owner"] = "Myself",
            ["due"] = "2026-01-09",
            ["priority"] = "high",
        }),
        ["decisions"] = new JsonArray("Review moves to Friday"),
        ["key_information"] = new JsonArray("Budget cap is 120k"),
        ["related"] = new JsonArray("Alice Example", "Apollo"),
        ["reply"] = new JsonObject
        {
            ["needed"] = replyNeeded,
            ["urgency"] = replyNeeded ? "high" : "low",
            ["reason"] = replyNeeded ? "Alice asks for the budget by Friday." : "Nothing is asked of the user.",
        },
    }.ToJsonString();

    /// <summary>A draft-reply answer that fits <c>prompts/draft-reply.prompty</c>.</summary>
    public static string CannedDraft() => new JsonObject
    {
        ["key_points"] = new JsonArray("Confirm the budget arrives by Friday"),
        ["body"] = "Hi Alice,\n\nThanks for the reminder. I will send the revised Q3 budget by Thursday evening.",
    }.ToJsonString();

    private FakeLlmReply DefaultResponder(FakeLlmRequest request) => request.SchemaName switch
    {
        "thread-note" => FakeLlmReply.Json(CannedNote(ReplyNeeded)),
        "draft-reply" => FakeLlmReply.Json(CannedDraft()),
        null => FakeLlmReply.Json("ok"),
        _ => FakeLlmReply.Json("{}"),
    };

    private async Task HandleChatAsync(HttpContext context, string? deployment)
    {
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            var request = await RecordAsync(context, deployment);
            if (HoldWhen is { } hold && hold(request) && Interlocked.Exchange(ref _holding, 1) == 0)
            {
                _held.TrySetResult(request);
                try
                {
                    await _release.Task.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var (limited, limitHeaders) = TakeToken();
            var reply = limited ?? (_faults.TryDequeue(out var fault) ? fault : Responder(request));
            var delay = ResponseDelay + reply.Delay;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (reply.CloseConnection)
            {
                context.Abort();
                return;
            }

            if (reply.StatusCode == 200 && reply.Content is null && !reply.NullContent)
            {
                reply = Responder(request) with { Delay = TimeSpan.Zero };
            }

            await WriteAsync(context, request, reply, limitHeaders);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleModelsAsync(HttpContext context)
    {
        await RecordAsync(context, null);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"object":"list","data":[{"id":"{{Model}}","object":"model","created":0,"owned_by":"fake"}]}""");
    }

    private async Task<FakeLlmRequest> RecordAsync(HttpContext context, string? deployment)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new FakeLlmRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            deployment,
            context.Request.Query["api-version"].FirstOrDefault(),
            body,
            headers);
        _requests.Enqueue(request);
        if (request.IsChat)
        {
            int seen = Interlocked.Increment(ref _chatRequestCount);
            lock (_waiters)
            {
                foreach (var waiter in _waiters.Where(w => w.Count <= seen).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult();
                }
            }
        }

        return request;
    }

    /// <summary>Takes one token from the rate limit: no reply when there was one, else the 429 to send; and the headers to send.</summary>
    private (FakeLlmReply? Limited, IReadOnlyDictionary<string, string>? Headers) TakeToken()
    {
        if (RateLimit is not { } limit)
        {
            return (null, null);
        }

        lock (_bucketLock)
        {
            var now = Clock.GetUtcNow();
            var (allowed, remaining, reset, retryAfter) = limit.Window is { } window ? TakeFromWindow(limit, window, now) : TakeFromBucket(limit, now);
            if (allowed)
            {
                _acceptedAt.Enqueue(now);
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (limit.SendHeaders)
            {
                // A lying server claims the whole limit is always left, right now.
                headers["x-ratelimit-limit-requests"] = Invariant(limit.Burst);
                headers["x-ratelimit-remaining-requests"] = Invariant(limit.LyingHeaders ? limit.Burst : remaining);
                headers["x-ratelimit-reset-requests"] = Invariant(limit.LyingHeaders ? 0 : (long)Math.Ceiling(reset.TotalMilliseconds)) + "ms";
            }

            if (allowed)
            {
                return (null, headers);
            }

            Interlocked.Increment(ref _rateLimited);
            if (limit.SendRetryAfter)
            {
                headers["retry-after-ms"] = Invariant((long)Math.Ceiling(retryAfter.TotalMilliseconds));
            }

            return (new FakeLlmReply { StatusCode = 429, ErrorCode = "rate_limit_exceeded", ErrorMessage = "Rate limit reached.", Headers = headers }, null);
        }
    }

    /// <summary>As OpenAI reports its bucket: the size, what is left, and how long until it is full again.</summary>
    private (bool Allowed, int Remaining, TimeSpan Reset, TimeSpan RetryAfter) TakeFromBucket(FakeRateLimit limit, DateTimeOffset now)
    {
        _bucket = double.IsNaN(_bucket)
            ? limit.Burst
            : Math.Min(limit.Burst, _bucket + ((now - _bucketUpdated).TotalSeconds * limit.PerSecond));
        _bucketUpdated = now;
        bool allowed = _bucket >= 1;
        if (allowed)
        {
            _bucket -= 1;
        }

        return (allowed, (int)Math.Floor(_bucket), TimeSpan.FromSeconds((limit.Burst - _bucket) / limit.PerSecond), TimeSpan.FromSeconds((1 - _bucket) / limit.PerSecond));
    }

    /// <summary>
    /// Fixed windows on the clock's own boundaries (as Azure and proxies such as LiteLLM count): <c>Burst</c> requests
    /// per window, the same headers, but <c>reset</c> is the window's end and nothing comes back before it.
    /// </summary>
    private (bool Allowed, int Remaining, TimeSpan Reset, TimeSpan RetryAfter) TakeFromWindow(FakeRateLimit limit, TimeSpan window, DateTimeOffset now)
    {
        long index = now.UtcTicks / window.Ticks;
        if (index != _windowIndex)
        {
            _windowIndex = index;
            _windowUsed = 0;
        }

        bool allowed = _windowUsed < limit.Burst;
        if (allowed)
        {
            _windowUsed++;
        }

        var end = new DateTimeOffset((index + 1) * window.Ticks, TimeSpan.Zero);
        return (allowed, limit.Burst - _windowUsed, end - now, end - now);
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task WriteAsync(HttpContext context, FakeLlmRequest request, FakeLlmReply reply, IReadOnlyDictionary<string, string>? limitHeaders)
    {
        foreach (var (name, value) in limitHeaders ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.StatusCode = reply.StatusCode;
        context.Response.ContentType = "application/json";
        JsonObject body;
        if (reply.StatusCode != 200)
        {
            body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = reply.ErrorMessage,
                    ["type"] = "fake_error",
                    ["param"] = null,
                    ["code"] = reply.ErrorCode,
                },
            };
        }
        else
        {
            string? content = reply.NullContent ? null : reply.Content;
            int promptTokens = Math.Max(1, request.Body.Length / 4);
            int completionTokens = Math.Max(1, (content?.Length ?? 0) / 4);
            body = new JsonObject
            {
                ["id"] = "chatcmpl-fake-" + Guid.NewGuid().ToString("N")[..8],
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = request.Model ?? request.Deployment ?? Model,
                ["system_fingerprint"] = Fingerprint,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                    ["logprobs"] = null,
                    ["finish_reason"] = reply.FinishReason,
                }),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = promptTokens,
                    ["completion_tokens"] = completionTokens,
                    ["total_tokens"] = promptTokens + completionTokens,
                    ["prompt_tokens_details"] = CachedTokens > 0 ? new JsonObject { ["cached_tokens"] = Math.Min(CachedTokens, promptTokens) } : null,
                },
            };
        }

        await context.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>A requests-per-second limit the fake server enforces, optionally announced in OpenAI's rate-limit headers.</summary>
/// <param name="PerSecond">The bucket's refill rate (ignored with <paramref name="Window"/>).</param>
/// <param name="Burst">The bucket's size, or the requests allowed per window.</param>
/// <param name="SendHeaders">Send <c>x-ratelimit-*-requests</c> on every answer.</param>
/// <param name="SendRetryAfter">Send <c>retry-after-ms</c> on a 429.</param>
/// <param name="Window">Count in fixed windows of this length instead of a continuously refilled bucket.</param>
/// <param name="LyingHeaders">Headers that make no sense: the whole limit always left, reset now, 429s all the same.</param>
public sealed record FakeRateLimit(
    double PerSecond,
    int Burst,
    bool SendHeaders = true,
    bool SendRetryAfter = true,
    TimeSpan? Window = null,
    bool LyingHeaders = false);
