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

    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Per-attempt timeout: a long generation can take a minute.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Total time one LLM step may take across all its retries.</summary>
    public TimeSpan TotalBudget { get; set; } = TimeSpan.FromMinutes(6);

    public int MaxRetries { get; set; } = 6;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the circuit stays open after the endpoint keeps failing.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound on the thread text sent to the model, in characters.</summary>
    public int MaxInputChars { get; set; } = 48_000;
}
