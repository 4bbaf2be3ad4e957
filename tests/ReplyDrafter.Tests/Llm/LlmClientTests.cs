using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Llm;

public sealed class LlmClientTests
{
    private static LlmClient Client(LlmOptions options, ListLogger<LlmClient>? logger = null) =>
        new(Options.Create(options), TimeProvider.System, logger ?? new ListLogger<LlmClient>());

    [Fact]
    public async Task SendAsync_OpenAI_SendsTheTemplatedRequestAndReturnsTheAnswer()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var client = Client(server.CreateOptions());
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
        using var client = Client(options);

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
        var logger = new ListLogger<LlmClient>();
        using var client = Client(server.CreateOptions(), logger);

        var response = await client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.ChatRequestCount);
        var retry = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("retrying", StringComparison.Ordinal));
        Assert.Equal(expectedDelayMs, retry.State.Single(p => p.Key == "DelayMs").Value);
        Assert.Contains("HTTP 429", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AnswerInMarkdownFence_UnwrapsAndValidatesIt()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Json("```json\n" + FakeLlmServer.CannedNote(replyNeeded: true) + "\n```"));
        using var client = Client(server.CreateOptions());

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
        Assert.Equal(expected, LlmClient.WithoutCodeFence(text));
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
        using var client = Client(server.CreateOptions());

        var response = await client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None);

        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.ChatRequestCount);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal("projects", response.Value.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task SendAsync_AttemptTooSlow_TimesOutAndRetries()
    {
        await using var server = await FakeLlmServer.StartAsync();
        var options = server.CreateOptions();
        options.AttemptTimeout = TimeSpan.FromSeconds(2);
        using var client = Client(options);
        // Warm up first so start-up cost never counts against the short attempt timeout.
        _ = await client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None);
        server.Enqueue(FakeLlmReply.Slow(TimeSpan.FromMinutes(5)));

        var response = await client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None);

        Assert.Equal(2, response.Attempts);
        Assert.Equal(3, server.ChatRequestCount);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotLlmException()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Slow(TimeSpan.FromMinutes(5)));
        using var client = Client(server.CreateOptions());
        using var cancellation = new CancellationTokenSource();

        var call = client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), cancellation.Token);
        while (server.ChatRequestCount == 0)
        {
            await Task.Delay(10);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.ChatRequestCount);
    }

    [Fact]
    public async Task SendAsync_OtherClientError_ThrowsRejectedWithoutTheProvidersText()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.Enqueue(FakeLlmReply.Error(400, "invalid_request_error", "Invalid content: Can you send the revised budget"));
        using var client = Client(server.CreateOptions());

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Rejected, error.Kind);
        Assert.Equal(1, server.ChatRequestCount);
        Assert.Contains("HTTP 400 invalid_request_error", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revised budget", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AnswerNeverFitsTheSchema_ThrowsRejectedAfterAllAttempts()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeLlmReply.NotMatchingSchema());
        var options = server.CreateOptions();
        options.MaxRetries = 2;
        using var client = Client(options);

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Rejected, error.Kind);
        Assert.Equal(3, server.ChatRequestCount);
        Assert.Contains("thread-note", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt", error.Message, StringComparison.Ordinal);
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
        using var client = Client(server.CreateOptions());

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
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };
        using var client = Client(options);

        var error = await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None));

        Assert.Equal(LlmFailureKind.Unavailable, error.Kind);
        Assert.Contains($"The LLM at {options.Endpoint} is not reachable (connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Start the model server there", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReplyDrafter:Llm:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_DefaultOllamaPortDown_SaysHowToStartOllama()
    {
        var options = new LlmOptions { Endpoint = "http://127.0.0.1:11434/v1", Deployment = "llama3.1:8b" };
        using var client = Client(options);

        var problem = await client.ProbeAsync(CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains("ollama serve", problem, StringComparison.Ordinal);
        Assert.Contains("ollama pull llama3.1:8b", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_EndpointKeepsFailing_CircuitOpensAndSparesIt()
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeLlmReply.ServerError(503));
        var options = server.CreateOptions();
        options.MaxRetries = 2;
        using var client = Client(options);
        const int Calls = 5;

        var errors = new List<LlmException>();
        for (int i = 0; i < Calls; i++)
        {
            errors.Add(await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None)));
        }

        Assert.All(errors, e => Assert.Equal(LlmFailureKind.Unavailable, e.Kind));
        Assert.True(server.ChatRequestCount < Calls * (options.MaxRetries + 1), $"server saw {server.ChatRequestCount} requests");
        Assert.Contains("paused", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ManyCallsAtOnce_NeverMoreInFlightThanMaxConcurrency()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.ResponseDelay = TimeSpan.FromMilliseconds(150);
        var options = server.CreateOptions();
        options.MaxConcurrency = 2;
        using var client = Client(options);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6)
            .Select(_ => client.SendAsync(LlmTestSupport.NoteRequest(options), CancellationToken.None)));

        Assert.Equal(6, responses.Length);
        Assert.Equal(6, server.ChatRequestCount);
        Assert.InRange(server.MaxConcurrentRequests, 1, 2);
    }

    [Fact]
    public async Task ProbeAsync_OpenAIServerUp_ReturnsNullAfterListingModels()
    {
        await using var server = await FakeLlmServer.StartAsync();
        using var client = Client(server.CreateOptions());

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
        using var client = Client(server.CreateOptions(LlmProvider.AzureOpenAI));

        string? problem = await client.ProbeAsync(CancellationToken.None);

        Assert.Null(problem);
        var probe = Assert.Single(server.ChatRequests);
        Assert.Equal(1, MaxTokens(probe.Json));
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_SaysWhy()
    {
        using var client = Client(new LlmOptions { Endpoint = $"http://127.0.0.1:{FreePort()}/v1" });

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
        using var client = Client(server.CreateOptions(), logger);

        await Assert.ThrowsAsync<LlmException>(() => client.SendAsync(LlmTestSupport.NoteRequest(server.CreateOptions()), CancellationToken.None));

        Assert.Equal(new Uri(server.BaseUrl).Authority, client.Provider.EndpointHost);
        Assert.Equal(FakeLlmServer.Model, client.Provider.Model);
        Assert.Contains("OpenAI", client.Provider.SdkVersions.Keys);
        Assert.Contains("Microsoft.Extensions.AI", client.Provider.SdkVersions.Keys);
        Assert.NotEmpty(logger.Entries);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(FakeLlmServer.ApiKey, e.Message, StringComparison.Ordinal));
    }

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
