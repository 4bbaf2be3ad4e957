using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Llm;

public sealed class LlmClientTests
{
    /// <summary>A client on a frozen fake clock: nothing in these tests waits for real time to pass.</summary>
    private static TestLlm Llm(LlmOptions options, FakeTimeProvider? time = null, ListLogger<LlmClient>? logger = null) =>
        new(options, time ?? new FakeTimeProvider(), logger);

    [Fact]
    public async Task SendAsync_OpenAI_SendsTheTemplatedRequestAndReturnsTheAnswer()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;
        var request = LlmTestSupport.NoteRequest(server.CreateOptions());

        var response = await client.SendAsync(request, CancellationToken.None);

        var sent = Assert.Single(server.ChatRequests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + FakeLlmServer.ApiKey, sent.Headers["Authorization"]);
        var body = sent.Json;
        Assert.Equal(FakeLlmServer.Model, body.GetProperty("model").GetString());
        Assert.Equal(0.3, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(2000, MaxTokens(body));
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("thread-note", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        // The SDK's strict-mode transform may move keywords it cannot send (pattern) into descriptions; the shape stays ours.
        var wireSchema = format.GetProperty("json_schema").GetProperty("schema");
        Assert.True(JsonElement.DeepEquals(request.Settings.OutputSchema.GetProperty("required"), wireSchema.GetProperty("required")));
        Assert.Equal(
            request.Settings.OutputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name),
            wireSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.True(JsonElement.DeepEquals(
            request.Settings.OutputSchema.GetProperty("properties").GetProperty("reply"),
            wireSchema.GetProperty("properties").GetProperty("reply")));
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(request.Messages[1].Text, messages[1].GetProperty("content").ValueKind == JsonValueKind.String
            ? messages[1].GetProperty("content").GetString()
            : messages[1].GetProperty("content")[0].GetProperty("text").GetString());

        Assert.Equal("Budget review for Project Apollo", response.Value.GetProperty("title").GetString());
        Assert.Equal(FakeLlmServer.CannedNote(true), response.RawText);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal(FakeLlmServer.Fingerprint, response.SystemFingerprint);
        Assert.Equal(FakeLlmServer.Model, response.ResponseModel);
        Assert.NotNull(response.Usage.TotalTokens);
        Assert.Equal(response.Usage.InputTokens + response.Usage.OutputTokens, response.Usage.TotalTokens);
        Assert.Equal(1, response.Attempts);
        // The captured body is exactly what arrived at the server, and it never holds the key.
        Assert.Equal(sent.Body, response.WireRequestBody);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, response.WireRequestBody!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Azure_UsesDeploymentRouteApiVersionAndKeyHeader()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var options = server.CreateOptions(LlmProvider.AzureOpenAI);
        using var llm = Llm(options);
        var client = llm.Client;

        var response = await client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None);

        var sent = Assert.Single(server.ChatRequests);
        Assert.Equal($"/openai/deployments/{FakeLlmServer.Model}/chat/completions", sent.Path);
        Assert.Equal(FakeLlmServer.Model, sent.Deployment);
        Assert.Equal("2024-10-21", sent.ApiVersion);
        Assert.Equal(FakeLlmServer.ApiKey, sent.Headers["api-key"]);
        Assert.Equal("draft-reply", sent.SchemaName);
        Assert.StartsWith("Hi Alice", response.Value.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(sent.Body, response.WireRequestBody);
        Assert.Equal("AzureOpenAI", client.Provider.Provider);
        Assert.Equal("2024-10-21", client.Provider.ApiVersion);
    }

    [Theory]
    [InlineData(true, 300)]
    [InlineData(false, 1000)]
    public async Task SendAsync_RateLimited_WaitsWhatTheServerAsksThenSucceeds(bool milliseconds, long expectedDelayMs)
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.RateLimited(TimeSpan.FromMilliseconds(expectedDelayMs), milliseconds));
        var time = new FakeTimeProvider();
        using var llm = Llm(server.CreateOptions(), time);
        var rateLimitedAt = time.GetUtcNow();

        var call = llm.Client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);
        await llm.Logger.WaitForAsync(e => e.Message.Contains("retrying", StringComparison.Ordinal));
        // Everyone waits, not just this caller: the shared limits are paused for exactly what the server asked.
        Assert.Equal(rateLimitedAt.AddMilliseconds(expectedDelayMs), llm.Limits.PausedUntil);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(expectedDelayMs));
        var response = await call;

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.ChatRequestCount);
        var retry = Assert.Single(llm.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("retrying", StringComparison.Ordinal));
        Assert.Equal(expectedDelayMs, retry.State.Single(p => p.Key == "DelayMs").Value);
        Assert.Contains("HTTP 429", retry.Message, StringComparison.Ordinal);
        Assert.Equal([LlmAttempt.Fault, LlmAttempt.Answer], response.AttemptLog!.Select(a => a.Outcome));
    }

    [Fact]
    public async Task SendAsync_AnswerInMarkdownFence_UnwrapsAndValidatesIt()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Json("```json\n" + FakeLlmServer.CannedNote(replyNeeded: true) + "\n```"));
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;

        var response = await client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);

        Assert.Equal(1, response.Attempts);
        Assert.Equal("Budget review for Project Apollo", response.Value.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    [InlineData("```json\n{\"a\":1}\n```", "{\"a\":1}\n")]
    [InlineData("```\n{}\n```", "{}\n")]
    [InlineData("``` not closed", "``` not closed")]
    public void WithoutCodeFence_Answer_UnwrapsOnlyAWholeFence(string text, string expected)
    {
        Assert.Equal(expected, AnswerValidator.WithoutCodeFence(text));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("malformed")]
    [InlineData("off-schema")]
    [InlineData("truncated")]
    [InlineData("bad-date")]
    [InlineData("dropped")]
    public async Task SendAsync_OneBadAttempt_RetriesAndReturnsTheGoodAnswer(string fault)
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(fault switch
        {
            "500" => FakeLlmReply.ServerError(500),
            "503" => FakeLlmReply.ServerError(503),
            "malformed" => FakeLlmReply.Malformed(),
            "off-schema" => FakeLlmReply.NotMatchingSchema(),
            "truncated" => FakeLlmReply.Truncated(),
            "bad-date" => FakeLlmReply.Json(FakeLlmServer.CannedNote(true).Replace("2026-01-09", "next Friday", StringComparison.Ordinal)),
            _ => FakeLlmReply.Drop(),
        });
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;

        var response = await client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.ChatRequestCount);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal("projects", response.Value.GetProperty("kind").GetString());
        var second = server.ChatRequests[1].Json.GetProperty("messages").EnumerateArray().ToList();
        bool wrongAnswer = fault is "malformed" or "off-schema" or "truncated" or "bad-date";
        // A wrong answer is asked again with the bad answer and what was wrong; a transport fault resends the same request.
        Assert.Equal(wrongAnswer ? 4 : 2, second.Count);
        Assert.Equal(wrongAnswer ? LlmAttempt.Invalid : LlmAttempt.Fault, response.AttemptLog![0].Outcome);
        if (wrongAnswer)
        {
            Assert.Equal("assistant", second[2].GetProperty("role").GetString());
            Assert.Contains("does not fit the 'thread-note' JSON schema", MessageText(second[3]), StringComparison.Ordinal);
            Assert.Contains(response.AttemptLog[0].Problems[0], MessageText(second[3]), StringComparison.Ordinal);
            Assert.Equal(response.AttemptLog[0].RawText, MessageText(second[2]));
        }
    }

    [Fact]
    public async Task SendAsync_AttemptTooSlow_TimesOutAndRetries()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var options = server.CreateOptions();
        var time = new FakeTimeProvider();
        using var llm = Llm(options, time);
        server.Enqueue(FakeLlmReply.Slow(TimeSpan.FromMinutes(5)));

        var call = llm.Client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None);
        await server.WaitForChatRequestsAsync(1);
        time.Advance(options.AttemptTimeout);
        var response = await call;

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.ChatRequestCount);
        Assert.Equal("no answer within the attempt timeout", Assert.Single(response.AttemptLog![0].Problems));
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotLlmException()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Slow(TimeSpan.FromMinutes(5)));
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;
        using var cancellation = new CancellationTokenSource();

        var call = client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), cancellation.Token);
        await server.WaitForChatRequestsAsync(1);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.ChatRequestCount);
    }

    [Fact]
    public async Task SendAsync_OtherClientError_ThrowsRejectedWithoutTheProvidersText()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Error(400, "invalid_request_error", "Invalid content: Can you send the revised budget"));
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Rejected, error.Kind);
        Assert.Equal(1, server.ChatRequestCount);
        Assert.Contains("HTTP 400 invalid_request_error", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revised budget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AnswerBreaksTheSchemaEveryTime_ThreeCallsNoBackoffThenRejected()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeLlmReply.NotMatchingSchema());
        var options = server.CreateOptions();
        options.RetryBaseDelay = TimeSpan.FromMinutes(1); // any back-off would never end: the clock is frozen
        using var llm = Llm(options);

        var error = await Assert.ThrowsAsync<LlmException>(() => llm.Client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Rejected, error.Kind);
        Assert.Equal(3, server.ChatRequestCount);
        Assert.Equal(6, server.ChatRequests[2].Json.GetProperty("messages").GetArrayLength());
        Assert.Contains("no usable thread-note answer in 3 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(root):", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(llm.Logger.Entries, e => e.Message.Contains("retrying", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("content-filter-finish", LlmFailureKind.Rejected, "content filter")]
    [InlineData("content-filter-400", LlmFailureKind.Rejected, "content filter")]
    [InlineData("context-length", LlmFailureKind.ContextLength, "context_length_exceeded")]
    [InlineData("401", LlmFailureKind.Paused, "ReplyDrafter:Llm:ApiKey")]
    [InlineData("404", LlmFailureKind.Paused, "ReplyDrafter:Llm:Deployment")]
    [InlineData("quota", LlmFailureKind.Paused, "quota")]
    public async Task SendAsync_ErrorRetryingCannotFix_FailsAfterOneRequest(string fault, LlmFailureKind kind, string hint)
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(fault switch
        {
            "content-filter-finish" => FakeLlmReply.ContentFiltered(),
            "content-filter-400" => FakeLlmReply.ContentFilterError(),
            "context-length" => FakeLlmReply.ContextLengthExceeded(),
            "401" => FakeLlmReply.Unauthorized(),
            "404" => FakeLlmReply.NotFound(),
            _ => FakeLlmReply.InsufficientQuota(),
        });
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(1, server.ChatRequestCount);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NothingListening_ThrowsUnavailableWithAFix()
    {
        var options = new LlmOptions
        {
            Endpoint = $"http://127.0.0.1:{FreePort()}/v1",
            Deployment = "llama3.1:8b",
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.Zero,
        };
        using var llm = Llm(options);
        var client = llm.Client;

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Unavailable, error.Kind);
        Assert.Contains($"The LLM at {options.Endpoint} is not reachable (connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Start the model server there", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReplyDrafter:Llm:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_DefaultOllamaPort_SaysHowToStartOllama()
    {
        // Only the words depend on the port; nothing connects to it, so a running Ollama cannot change the result.
        var advice = new LlmAdvice(Microsoft.Extensions.Options.Options.Create(new LlmOptions { Endpoint = $"http://127.0.0.1:{LlmAdvice.OllamaPort}/v1", Deployment = "llama3.1:8b" }));

        string problem = advice.Unreachable("connection refused");

        Assert.Contains("ollama serve", problem, StringComparison.Ordinal);
        Assert.Contains("ollama pull llama3.1:8b", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_LocalPortDown_SaysToStartTheServerThere()
    {
        using var llm = Llm(new LlmOptions { Endpoint = $"http://127.0.0.1:{FreePort()}/v1", Deployment = "llama3.1:8b" });

        var problem = await llm.Client.ProbeAsync(CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains("connection refused", problem, StringComparison.Ordinal);
        Assert.Contains("Start the model server there", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("ollama serve", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_EndpointKeepsFailing_CircuitOpensAndSparesIt()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeLlmReply.ServerError(503));
        var options = server.CreateOptions();
        options.MaxRetries = 2;
        options.RetryBaseDelay = TimeSpan.Zero;
        using var llm = Llm(options);
        const int Calls = 5;

        var errors = new List<LlmException>();
        for (int i = 0; i < Calls; i++)
        {
            errors.Add(await Assert.ThrowsAsync<LlmException>(() => llm.Client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None)));
        }

        // Call 1 fails 3 times, call 2's first failure is the 4th (BreakerMinimumThroughput): the circuit opens, and on
        // the frozen clock it stays open, so the server sees nothing more.
        Assert.All(errors, e => Assert.Equal(LlmFailureKind.Unavailable, e.Kind));
        Assert.Equal(options.BreakerMinimumThroughput, server.ChatRequestCount);
        Assert.Contains("calls paused for 30 s", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ManyCallsAtOnce_NeverMoreInFlightThanMaxConcurrency()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.ResponseDelay = TimeSpan.FromMilliseconds(150);
        var options = server.CreateOptions();
        options.MaxConcurrency = 2;
        options.BreakerMinimumThroughput = 2;
        using var llm = Llm(options, new FakeTimeProvider(), null);
        var client = llm.Client;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None)));

        Assert.Equal(6, responses.Length);
        Assert.Equal(6, server.ChatRequestCount);
        Assert.Equal(2, server.MaxConcurrentRequests);
    }

    [Fact]
    public async Task ProbeAsync_OpenAIServerUp_ReturnsNullAfterListingModels()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var llm = Llm(server.CreateOptions());
        var client = llm.Client;

        string? problem = await client.ProbeAsync(CancellationToken.None);

        Assert.Null(problem);
        var probe = Assert.Single(server.Requests);
        Assert.Equal("/v1/models", probe.Path);
        Assert.Equal("GET", probe.Method);
    }

    [Fact]
    public async Task ProbeAsync_AzureServerUp_ReturnsNullAfterOneTinyChat()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var llm = Llm(server.CreateOptions(LlmProvider.AzureOpenAI));
        var client = llm.Client;

        string? problem = await client.ProbeAsync(CancellationToken.None);

        Assert.Null(problem);
        var probe = Assert.Single(server.ChatRequests);
        Assert.Equal(1, MaxTokens(probe.Json));
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_SaysWhy()
    {
        using var llm = Llm(new LlmOptions { Endpoint = $"http://127.0.0.1:{FreePort()}/v1" });
        var client = llm.Client;

        string? problem = await client.ProbeAsync(CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains("connection refused", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_AndLogs_NeverShowTheKey()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.ServerError(), FakeLlmReply.Unauthorized());
        var logger = new ListLogger<LlmClient>();
        using var llm = Llm(server.CreateOptions(), logger: logger);
        var client = llm.Client;

        await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None));

        Assert.Equal(new Uri(server.BaseUrl).Authority, client.Provider.EndpointHost);
        Assert.Equal(FakeLlmServer.Model, client.Provider.Model);
        Assert.Contains("OpenAI", client.Provider.SdkVersions.Keys);
        Assert.Contains("Microsoft.Extensions.AI", client.Provider.SdkVersions.Keys);
        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(FakeLlmServer.ApiKey, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ProviderReportsCachedTokens_ResponseAndRecordKeepThem()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.CachedTokens = 128;
        using var llm = Llm(server.CreateOptions());
        var request = LlmTestSupport.NoteRequest(server.CreateOptions());

        var response = await llm.Client.SendAsync(request, CancellationToken.None);
        var record = System.Text.Json.Nodes.JsonNode.Parse(PromptRecord.ToJson(request, response, llm.Client.Provider, ["Notes/x.md"]))!;

        Assert.Equal(128, response.Usage.CachedInputTokens);
        Assert.Equal(128, (long?)record["response"]!["usage"]!["cached_input_tokens"]);
    }

    [Fact]
    public async Task SendAsync_AzureWithoutKey_SignsInWithEntraIdAndSendsTheBearerToken()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var options = server.CreateOptions(LlmProvider.AzureOpenAI);
        options.ApiKey = "";
        var credential = new FakeTokenCredential();
        using var llm = new TestLlm(options, new FakeTimeProvider(), credential: credential);

        await llm.Client.SendAsync(LlmTestSupport.DraftRequest(options), CancellationToken.None);

        var sent = Assert.Single(server.ChatRequests);
        Assert.Equal("Bearer " + FakeTokenCredential.Token, sent.Headers["Authorization"]);
        Assert.False(sent.Headers.ContainsKey("api-key"));
        Assert.Contains("https://cognitiveservices.azure.com/.default", credential.Requests.SelectMany(s => s));
    }

    [Fact]
    public async Task SendAsync_Retried_NoLogLineQuotesTheProvidersErrorText()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Error(500, null, "Internal error while reading: Can you send the revised budget"));
        var sink = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(server.CreateOptions()));
        services.AddLogging(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        services.AddLlmClient();
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<LlmClient>();

        await client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);

        Assert.Contains(sink.Messages, m => m.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Messages, m => m.Contains("Internal error while reading", StringComparison.Ordinal));
    }

    private static string MessageText(JsonElement message) =>
        message.GetProperty("content").ValueKind == JsonValueKind.String
            ? message.GetProperty("content").GetString()!
            : message.GetProperty("content")[0].GetProperty("text").GetString()!;

    private static int MaxTokens(JsonElement body) =>
        body.TryGetProperty("max_completion_tokens", out var completion) ? completion.GetInt32() : body.GetProperty("max_tokens").GetInt32();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>Collects every formatted log line of every category (Polly's included).</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(this);

    public void Dispose()
    {
    }

    private sealed class Sink(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Messages.Enqueue(formatter(state, exception));
    }
}
