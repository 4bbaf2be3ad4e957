namespace ReplyDrafter.Llm;

public enum LlmProvider
{
    OpenAI,
    AzureOpenAI,
}

/// <summary>The <c>ReplyDrafter:Llm</c> section: where the model is and how hard to push it.</summary>
public sealed class LlmOptions
{
    public const string Section = "ReplyDrafter:Llm";

    public LlmProvider Provider { get; set; } = LlmProvider.OpenAI;

    /// <summary>Default: a local Ollama, so mail stays on the machine until the user picks a cloud provider.</summary>
    public string Endpoint { get; set; } = "http://localhost:11434/v1";

    /// <summary>The Azure deployment name, or the model name for <see cref="LlmProvider.OpenAI"/>.</summary>
    public string Deployment { get; set; } = "llama3.1:8b";

    /// <summary>May be empty for a local server; Azure then uses Entra ID (DefaultAzureCredential).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Azure OpenAI API version; empty means the SDK's default.</summary>
    public string? ApiVersion { get; set; }

    public double Temperature { get; set; } = 0.3;

    /// <summary>The most calls in flight; the limit adapts below it when the provider answers 429 without rate-limit headers.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Per-attempt timeout: a long generation on a local model can take a minute or two.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Total time one LLM call may take across all its retries; at least <see cref="AttemptTimeout"/>.</summary>
    public TimeSpan TotalBudget { get; set; } = TimeSpan.FromMinutes(6);

    public int MaxRetries { get; set; } = 6;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the circuit stays open after the endpoint keeps failing.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The window the circuit breaker judges failures in: at least twice <see cref="AttemptTimeout"/>, so hung attempts show up in it.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Failed attempts needed in the window before the circuit may open; reachable at <see cref="MaxConcurrency"/>.</summary>
    public int BreakerMinimumThroughput { get; set; } = 4;

    /// <summary>Upper bound on the thread text sent to the model, in characters.</summary>
    public int MaxInputChars { get; set; } = 48_000;

    /// <summary>Most answered calls per local day; past it, items wait until the next day. Null (default): no limit.</summary>
    public int? DailyCallLimit { get; set; }

    /// <summary>Most tokens (input plus output) per local day; past it, items wait until the next day. Null (default): no limit.</summary>
    public long? DailyTokenLimit { get; set; }

    /// <summary>Prices for the cost estimate in <c>status</c> and the benchmarks; all optional.</summary>
    public LlmPricing Pricing { get; set; } = new();
}

/// <summary>The <c>ReplyDrafter:Llm:Pricing</c> section: what the provider charges, per million tokens, in any one currency.</summary>
public sealed class LlmPricing
{
    public double? InputPerMillion { get; set; }

    public double? OutputPerMillion { get; set; }

    /// <summary>Cached input tokens' price; when not set, cached tokens cost what <see cref="InputPerMillion"/> says.</summary>
    public double? CachedInputPerMillion { get; set; }
}
