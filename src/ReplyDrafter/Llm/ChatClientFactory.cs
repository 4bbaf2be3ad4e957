using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using ReplyDrafter.Telemetry;

namespace ReplyDrafter.Llm;

/// <summary>
/// Builds the SDK client once (OpenAI-compatible, Azure OpenAI with a key, or Azure OpenAI with Entra ID) over one
/// HttpClient that paces requests and captures the wire body, and hands out an <see cref="IChatClient"/> per model.
/// </summary>
internal sealed class ChatClientFactory : IDisposable
{
    private readonly LlmOptions _options;
    private readonly OpenAIClient _sdkClient;
    private readonly ConcurrentDictionary<string, IChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ChatClientTelemetry? _telemetry;

    /// <param name="credential">Entra ID sign-in for Azure without a key; null means DefaultAzureCredential (managed identity, Azure CLI, …).</param>
    /// <param name="telemetry">GenAI spans and metrics around every chat client, when the host registers telemetry.</param>
    public ChatClientFactory(IOptions<LlmOptions> options, ProviderRateLimits limits, TokenCredential? credential = null, ChatClientTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _telemetry = telemetry;

        // A host that does not answer a connect in a few seconds is down: say so without waiting out the attempt timeout.
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.AttemptTimeout < MaxConnectTimeout ? _options.AttemptTimeout : MaxConnectTimeout,
        };

        // Timeouts belong to the resilience pipeline; HttpClient's own 100 s would cut long generations short.
        HttpClient = new HttpClient(new WireCaptureHandler(new RateLimitHandler(limits, handler))) { Timeout = Timeout.InfiniteTimeSpan };
        _sdkClient = Create(credential);
    }

    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The transport the SDK uses; the start-up probe uses it too, so it is paced the same way.</summary>
    public HttpClient HttpClient { get; }

    public IChatClient For(string model) => _chatClients.GetOrAdd(model, m => Compose(_sdkClient.GetChatClient(m).AsIChatClient()));

    public void Dispose()
    {
        foreach (var client in _chatClients.Values)
        {
            client.Dispose();
        }

        HttpClient.Dispose();
    }

    /// <summary>
    /// The chat client's layers, outermost first. None of them retries or times out: <see cref="LlmClient"/> runs every
    /// call through the resilience pipeline (<see cref="LlmResilience"/>) above them, one attempt per chat call.
    /// </summary>
    private IChatClient Compose(IChatClient sdk)
    {
        var builder = sdk.AsBuilder();
        if (_telemetry is not null)
        {
            builder = _telemetry.Use(builder);
        }

        return builder.Build();
    }

    private OpenAIClient Create(TokenCredential? credential)
    {
        var endpoint = new Uri(_options.Endpoint);
        var transport = new HttpClientPipelineTransport(HttpClient);
        if (_options.Provider == LlmProvider.AzureOpenAI)
        {
            var azureOptions = LlmOptionsValidator.AzureServiceVersion(_options.ApiVersion) is { } version
                ? new AzureOpenAIClientOptions(version)
                : new AzureOpenAIClientOptions();
            azureOptions.RetryPolicy = new ClientRetryPolicy(0);
            azureOptions.NetworkTimeout = _options.AttemptTimeout;
            azureOptions.Transport = transport;
            return string.IsNullOrEmpty(_options.ApiKey)
                ? new AzureOpenAIClient(endpoint, credential ?? new Azure.Identity.DefaultAzureCredential(), azureOptions)
                : new AzureOpenAIClient(endpoint, new ApiKeyCredential(_options.ApiKey), azureOptions);
        }

        var openAIOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = _options.AttemptTimeout,
            Transport = transport,
        };

        // A local server takes no key, but the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(_options.ApiKey) ? "unused" : _options.ApiKey), openAIOptions);
    }
}
