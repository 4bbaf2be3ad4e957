namespace ReplyDrafter.Llm;

/// <summary>
/// The one way to the model: concurrency limit, pacing from the provider's rate-limit headers, retries (Polly; the
/// SDK's own retries are off), per-attempt timeout, circuit breaker, schema validation of the answer (with re-asks),
/// capture of the wire request body.
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
