using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Azure.AI.OpenAI;
using Json.Schema;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ReplyDrafter.Llm;

/// <summary>
/// The one way to the model: concurrency limit, retries (Polly; the SDK's own retries are off), per-attempt timeout,
/// circuit breaker, schema validation of the answer, capture of the wire request body.
/// </summary>
internal interface ILlmClient
{
    /// <summary>Sends the request; returns only an answer that fits <see cref="LlmSettings.OutputSchema"/>.</summary>
    /// <exception cref="LlmException">when no valid answer could be had.</exception>
    Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken);

    /// <summary>A cheap call that tells whether the configured model answers; null when it does, else why not.</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Provider, endpoint host (never a key), model and API version, for the prompt record.</summary>
    ProviderInfo Provider { get; }
}

/// <summary>What the record says about where a request went.</summary>
public sealed record ProviderInfo(string Provider, string EndpointHost, string Model, string? ApiVersion, IReadOnlyDictionary<string, string> SdkVersions);

/// <inheritdoc cref="ILlmClient"/>
/// <remarks>
/// Pipeline, outermost first: concurrency slot (held across retries, so backoff never lets more calls in than allowed),
/// total budget, retry (exponential with jitter, or the server's Retry-After), circuit breaker (transport failures only),
/// attempt timeout. <see cref="LlmResponse.Latency"/> is the whole step, retries included.
/// </remarks>
internal sealed class LlmClient : ILlmClient, IDisposable
{
    private const string StrictKey = "strict";

    private readonly LlmOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<LlmClient> _logger;
    private readonly HttpClient _httpClient;
    private readonly OpenAIClient _sdkClient;
    private readonly ConcurrentDictionary<string, IChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline _pipeline;
    private readonly Uri _endpoint;

    public LlmClient(IOptions<LlmOptions> options, TimeProvider timeProvider, ILogger<LlmClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;

        string? problem = LlmOptionsValidator.Check(_options).FirstOrDefault();
        if (problem is not null)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(LlmOptions), [problem]);
        }

        _endpoint = new Uri(_options.Endpoint);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

        // Timeouts belong to the pipeline; HttpClient's own 100 s would cut long generations short.
        _httpClient = new HttpClient(new WireCaptureHandler(handler)) { Timeout = Timeout.InfiniteTimeSpan };
        _sdkClient = CreateSdkClient();
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _pipeline = BuildPipeline();
        Provider = new ProviderInfo(
            _options.Provider.ToString(),
            _endpoint.IsDefaultPort ? _endpoint.Host : $"{_endpoint.Host}:{_endpoint.Port}",
            _options.Deployment,
            string.IsNullOrWhiteSpace(_options.ApiVersion) ? null : _options.ApiVersion.Trim(),
            SdkVersions());
    }

    public ProviderInfo Provider { get; }

    /// <summary>The endpoint as users configured it, minus anything that could carry a secret (user info, query).</summary>
    private string EndpointDisplay =>
        new UriBuilder(_endpoint) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.ToString().TrimEnd('/');

    private static void ResiliencePoolReturn(ResilienceContext context) => ResilienceContextPool.Shared.Return(context);

    public async Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schema = _schemas.GetOrAdd(request.Settings.OutputSchema.GetRawText(), static text =>
            JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
        var chat = ChatClientFor(request.Settings.Model);

        await _slots.WaitAsync(cancellationToken);
        try
        {
            long started = _timeProvider.GetTimestamp();
            int attempts = 0;
            var capture = WireCapture.Begin();
            try
            {
                var context = ResilienceContextPool.Shared.Get(request.Step, cancellationToken);
                (ChatResponse response, JsonElement value) outcome;
                try
                {
                    outcome = await _pipeline.ExecuteAsync(
                        async ctx =>
                        {
                            attempts++;
                            return await AttemptAsync(chat, request, schema, capture, ctx.CancellationToken);
                        },
                        context);
                }
                finally
                {
                    ResiliencePoolReturn(context);
                }

                var (response, value) = outcome;

                var latency = _timeProvider.GetElapsedTime(started);
                var usage = new LlmUsage(response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, response.Usage?.TotalTokenCount);
                LlmLog.Answered(_logger, request.Step, (long)latency.TotalMilliseconds, attempts, usage.InputTokens, usage.OutputTokens);
                return new LlmResponse(
                    response.Text,
                    value,
                    response.FinishReason?.Value,
                    (response.RawRepresentation as OpenAI.Chat.ChatCompletion)?.SystemFingerprint,
                    response.ModelId,
                    usage,
                    latency,
                    attempts,
                    capture.Body,
                    _timeProvider.GetUtcNow());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not LlmException)
            {
                var failure = Translate(e, request, attempts);
                LlmLog.Failed(_logger, request.Step, failure.Kind);
                throw failure;
            }
            catch (LlmException e)
            {
                LlmLog.Failed(_logger, request.Step, e.Kind);
                throw;
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AttemptTimeout);
        try
        {
            if (_options.Provider == LlmProvider.OpenAI)
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, EndpointDisplay + "/models");
                if (!string.IsNullOrEmpty(_options.ApiKey))
                {
                    probe.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                }

                using var answer = await _httpClient.SendAsync(probe, timeout.Token);
                if (!answer.IsSuccessStatusCode)
                {
                    return $"{EndpointDisplay}/models answered HTTP {(int)answer.StatusCode}.";
                }

                return IsOllama ? MissingModel(await answer.Content.ReadAsStringAsync(timeout.Token)) : null;
            }

            // Azure has no cheap model listing per deployment: one token from the deployment itself.
            var options = new ChatOptions { MaxOutputTokens = 1, ModelId = _options.Deployment };
            _ = await ChatClientFor(_options.Deployment).GetResponseAsync([new ChatMessage(ChatRole.User, "ping")], options, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return Unreachable($"no answer within {_options.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or IOException)
        {
            return Unreachable(LlmFaults.Describe(e));
        }
    }

    public void Dispose()
    {
        _httpClient.Dispose();
        _slots.Dispose();
        foreach (var client in _chatClients.Values)
        {
            client.Dispose();
        }
    }

    private async ValueTask<(ChatResponse Response, JsonElement Value)> AttemptAsync(
        IChatClient chat, LlmRequest request, JsonSchema schema, WireCapture capture, CancellationToken token)
    {
        var settings = request.Settings;
        var chatOptions = new ChatOptions
        {
            ModelId = settings.Model,
            Temperature = (float?)settings.Temperature,
            TopP = (float?)settings.TopP,
            MaxOutputTokens = settings.MaxOutputTokens,
            Seed = settings.Seed,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(settings.OutputSchema, settings.SchemaName),
            AdditionalProperties = new() { [StrictKey] = true },
        };

        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(request.Messages, chatOptions, token);
        }
        catch (ClientResultException e) when (Permanent(e, request) is { } failure)
        {
            throw failure;
        }
        finally
        {
            LlmLog.RequestBody(_logger, request.Step, capture.Body);
        }

        string text = response.Text;
        string? finish = response.FinishReason?.Value;
        LlmLog.AnswerText(_logger, request.Step, finish, text);

        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            throw new LlmException(
                LlmFailureKind.Rejected,
                $"The provider's content filter stopped the {request.Step} answer; the item cannot be processed as it is.");
        }

        if (response.FinishReason == ChatFinishReason.Length)
        {
            throw Invalid(request, "the answer was cut off (finish reason length)");
        }

        JsonElement value;
        try
        {
            using var document = JsonDocument.Parse(WithoutCodeFence(text));
            value = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid(request, "the answer is not valid JSON");
        }

        var result = schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var problems = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(err => $"{d.InstanceLocation}: {err.Value}"))
                .Take(3)
                .ToList();
            throw Invalid(request, $"the answer does not fit the '{settings.SchemaName}' schema ({(problems.Count > 0 ? string.Join("; ", problems) : "invalid")})");
        }

        return (response, value);
    }

    /// <summary>
    /// Some local models wrap their JSON in a markdown fence (<c>```json … ```</c>) even in JSON mode; the object
    /// inside is still checked against the schema like any other answer.
    /// </summary>
    internal static string WithoutCodeFence(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return text;
        }

        var inner = trimmed[3..^3];
        var firstLineEnd = inner.IndexOf('\n');
        return firstLineEnd < 0 ? inner.ToString() : inner[(firstLineEnd + 1)..].ToString();
    }

    private InvalidAnswerException Invalid(LlmRequest request, string problem)
    {
        LlmLog.AnswerRejected(_logger, request.Step, problem);
        return new InvalidAnswerException(problem);
    }

    /// <summary>Errors that retrying cannot fix. Messages name the likely fix and never the key.</summary>
    private LlmException? Permanent(ClientResultException e, LlmRequest request)
    {
        string? code = LlmFaults.ErrorCode(e);
        return e.Status switch
        {
            400 when code == "content_filter" => new LlmException(
                LlmFailureKind.Rejected,
                $"The provider's content filter refused the {request.Step} request; the item cannot be processed as it is.",
                e),
            400 when code == "context_length_exceeded" => new LlmException(
                LlmFailureKind.ContextLength,
                $"The {request.Step} request is longer than model '{request.Settings.Model}' accepts (context_length_exceeded).",
                e),
            401 or 403 => new LlmException(
                LlmFailureKind.Paused,
                $"The LLM at {EndpointDisplay} refused the credentials (HTTP {e.Status}). Check ReplyDrafter:Llm:ApiKey (and, for Azure, the key's access to the resource).",
                e),
            404 => new LlmException(
                LlmFailureKind.Paused,
                _options.Provider == LlmProvider.AzureOpenAI
                    ? $"The Azure OpenAI deployment '{request.Settings.Model}' was not found at {EndpointDisplay} (HTTP 404). Check ReplyDrafter:Llm:Deployment and ReplyDrafter:Llm:Endpoint."
                    : $"The model '{request.Settings.Model}' was not found at {EndpointDisplay} (HTTP 404). Check ReplyDrafter:Llm:Deployment and ReplyDrafter:Llm:Endpoint{(IsLocal ? $", or run `ollama pull {request.Settings.Model}`" : "")}.",
                e),
            429 when code == "insufficient_quota" => new LlmException(
                LlmFailureKind.Paused,
                $"The LLM account behind {EndpointDisplay} is out of quota (insufficient_quota). Add credit or raise the quota, then restart.",
                e),
            >= 400 and < 500 and not 408 and not 429 => new LlmException(
                LlmFailureKind.Rejected,
                $"The LLM at {EndpointDisplay} refused the {request.Step} request (HTTP {e.Status}{(code is null ? "" : " " + code)}); the model or server may not support structured output with a JSON schema.",
                e),
            _ => null,
        };
    }

    private LlmException Translate(Exception e, LlmRequest request, int attempts) => e switch
    {
        InvalidAnswerException invalid => new LlmException(
            LlmFailureKind.Rejected,
            $"The model gave no usable {request.Step} answer in {attempts} attempt(s): {invalid.Message}.",
            e),
        BrokenCircuitException => new LlmException(
            LlmFailureKind.Unavailable,
            Unreachable($"calls paused for {_options.BreakDuration.TotalSeconds:0.#} s after repeated failures"),
            e),
        TimeoutRejectedException => new LlmException(
            LlmFailureKind.Unavailable,
            Unreachable($"no answer in time, {attempts} attempt(s)"),
            e),
        _ => new LlmException(
            LlmFailureKind.Unavailable,
            Unreachable($"{LlmFaults.Describe(e)}{(attempts > 1 ? $", {attempts} attempts" : "")}"),
            e),
    };

    private string Unreachable(string why) =>
        $"The LLM at {EndpointDisplay} is not reachable ({why}). " + (IsOllama
            ? $"Start Ollama (`ollama serve`, then `ollama pull {_options.Deployment}`) or configure Azure OpenAI (ReplyDrafter:Llm:Provider/Endpoint/Deployment/ApiKey)."
            : IsLocal
                ? "Start the model server there, or point ReplyDrafter:Llm:Endpoint at a running one."
                : "Check ReplyDrafter:Llm:Endpoint and the network; waiting items are tried again later.");

    /// <summary>Ollama lists exactly the models it can serve; null when the configured one is among them.</summary>
    private string? MissingModel(string modelList)
    {
        try
        {
            using var document = JsonDocument.Parse(modelList);
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList();
            return ids.Contains(_options.Deployment, StringComparer.Ordinal)
                ? null
                : $"The LLM at {EndpointDisplay} answers but has no model '{_options.Deployment}' (it has: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}). Run `ollama pull {_options.Deployment}` or set ReplyDrafter:Llm:Deployment.";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Ollama's own port on this machine: the default, where the advice can name the commands.</summary>
    private bool IsOllama => IsLocal && _endpoint.Port == 11434;

    private bool IsLocal => _endpoint.IsLoopback;

    private IChatClient ChatClientFor(string model) =>
        _chatClients.GetOrAdd(model, m => _sdkClient.GetChatClient(m).AsIChatClient());

    private OpenAIClient CreateSdkClient()
    {
        var transport = new HttpClientPipelineTransport(_httpClient);
        if (_options.Provider == LlmProvider.AzureOpenAI)
        {
            var azureOptions = LlmOptionsValidator.AzureServiceVersion(_options.ApiVersion) is { } version
                ? new AzureOpenAIClientOptions(version)
                : new AzureOpenAIClientOptions();
            azureOptions.RetryPolicy = new ClientRetryPolicy(0);
            azureOptions.NetworkTimeout = _options.AttemptTimeout;
            azureOptions.Transport = transport;
            // Without a key, Entra ID: DefaultAzureCredential tries managed identity, the Azure CLI login, and the rest.
            return string.IsNullOrEmpty(_options.ApiKey)
                ? new AzureOpenAIClient(_endpoint, new Azure.Identity.DefaultAzureCredential(), azureOptions)
                : new AzureOpenAIClient(_endpoint, new ApiKeyCredential(_options.ApiKey), azureOptions);
        }

        var openAIOptions = new OpenAIClientOptions
        {
            Endpoint = _endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = _options.AttemptTimeout,
            Transport = transport,
        };

        // A local server takes no key, but the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(_options.ApiKey) ? "unused" : _options.ApiKey), openAIOptions);
    }

    private ResiliencePipeline BuildPipeline()
    {
        string endpointHost = _endpoint.Host;
        return new ResiliencePipelineBuilder { TimeProvider = _timeProvider }
            .AddTimeout(_options.TotalBudget)
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && LlmFaults.IsRetryable(e, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(LlmFaults.RetryAfter(args.Outcome.Exception, _timeProvider)),
                OnRetry = args =>
                {
                    LlmLog.RetryScheduled(
                        _logger,
                        args.Context.OperationKey ?? "call",
                        args.AttemptNumber + 1,
                        args.Outcome.Exception is { } e ? LlmFaults.Describe(e) : "unknown",
                        (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.8,
                MinimumThroughput = 6,
                SamplingDuration = _options.BreakDuration * 2 > TimeSpan.FromMinutes(1) ? _options.BreakDuration * 2 : TimeSpan.FromMinutes(1),
                BreakDuration = _options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && LlmFaults.IsTransportFailure(e, args.Context.CancellationToken)),
                OnOpened = args =>
                {
                    LlmLog.CircuitOpened(_logger, endpointHost, (long)args.BreakDuration.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LlmLog.CircuitClosed(_logger, endpointHost);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    private static Dictionary<string, string> SdkVersions()
    {
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OpenAI"] = VersionOf(typeof(OpenAIClient)),
            ["Azure.AI.OpenAI"] = VersionOf(typeof(AzureOpenAIClient)),
            ["Microsoft.Extensions.AI"] = VersionOf(typeof(ChatClientBuilder)),
            ["Microsoft.Extensions.AI.OpenAI"] = VersionOf(typeof(OpenAIClientExtensions)),
        };

        static string VersionOf(Type type)
        {
            var assembly = type.Assembly;
            string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            return version is null ? "unknown" : version.Split('+')[0];
        }
    }
}
