using System.Globalization;
using Azure.AI.OpenAI;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>Checks <c>ReplyDrafter:Llm</c> at start; each message names the key and the bad value (never the key's secret).</summary>
/// <remarks>
/// Hand-written rather than <c>[OptionsValidator]</c>: the generated validator ignores custom messages on nested
/// members and cannot show the bad value, and most rules here relate several keys to each other.
/// </remarks>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    private const string Prefix = LlmOptions.Section + ":";

    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var problems = Check(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Check(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
        {
            yield return $"{Prefix}Provider must be OpenAI or AzureOpenAI (got '{options.Provider}').";
        }

        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) ||
            (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{Prefix}Endpoint must be an absolute http(s) URL (got '{Security.Redaction.Url(options.Endpoint)}').";
        }

        if (string.IsNullOrWhiteSpace(options.Deployment))
        {
            yield return options.Provider == LlmProvider.AzureOpenAI
                ? $"{Prefix}Deployment must name the Azure OpenAI deployment."
                : $"{Prefix}Deployment must name the model (e.g. 'llama3.1:8b' or 'gpt-4o-mini').";
        }

        if (options.Provider == LlmProvider.AzureOpenAI)
        {
            if (!string.IsNullOrWhiteSpace(options.ApiVersion) && AzureServiceVersion(options.ApiVersion) is null)
            {
                yield return $"{Prefix}ApiVersion '{options.ApiVersion}' is not one this build knows; use one of {string.Join(", ", KnownAzureVersions())} or leave it empty for the SDK's default.";
            }
        }

        if (options.Temperature is < 0 or > 2 || double.IsNaN(options.Temperature))
        {
            yield return $"{Prefix}Temperature must be from 0 to 2 (got {options.Temperature.ToString(CultureInfo.InvariantCulture)}).";
        }

        if (options.MaxConcurrency < 1)
        {
            yield return $"{Prefix}MaxConcurrency must be 1 or more (got {options.MaxConcurrency}).";
        }

        if (options.MaxRetries < 0)
        {
            yield return $"{Prefix}MaxRetries must be 0 or more (got {options.MaxRetries}).";
        }

        if (options.DailyCallLimit is < 1)
        {
            yield return $"{Prefix}DailyCallLimit must be 1 or more, or left empty for no limit (got {options.DailyCallLimit}).";
        }

        if (options.DailyTokenLimit is < 1)
        {
            yield return $"{Prefix}DailyTokenLimit must be 1 or more, or left empty for no limit (got {options.DailyTokenLimit}).";
        }

        // Polly's own floors: 10 ms for timeouts, 0.5 s for the circuit's break.
        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10))
        {
            yield return $"{Prefix}AttemptTimeout must be a positive time span such as 00:02:00 (got '{options.AttemptTimeout}').";
        }

        if (options.TotalBudget < TimeSpan.FromMilliseconds(10))
        {
            yield return $"{Prefix}TotalBudget must be a positive time span such as 00:06:00 (got '{options.TotalBudget}').";
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            yield return $"{Prefix}RetryBaseDelay must not be negative (got '{options.RetryBaseDelay}').";
        }

        if (options.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{Prefix}BreakDuration must be at least 00:00:00.5 (got '{options.BreakDuration}').";
        }

        foreach (string contradiction in Contradictions(options))
        {
            yield return contradiction;
        }

        foreach (var (key, price) in new[]
        {
            ("InputPerMillion", options.Pricing?.InputPerMillion),
            ("OutputPerMillion", options.Pricing?.OutputPerMillion),
            ("CachedInputPerMillion", options.Pricing?.CachedInputPerMillion),
        })
        {
            if (price is { } p && (p < 0 || p > 1_000_000 || double.IsNaN(p)))
            {
                yield return $"{Prefix}Pricing:{key} must be a price from 0 to 1000000 per million tokens (got {p.ToString(CultureInfo.InvariantCulture)}).";
            }
        }

        if (options.MaxInputChars < 1)
        {
            yield return $"{Prefix}MaxInputChars must be 1 or more (got {options.MaxInputChars}).";
        }
    }

    /// <summary>Resilience settings that are fine one by one but cannot work together.</summary>
    private static IEnumerable<string> Contradictions(LlmOptions options)
    {
        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10) || options.TotalBudget < TimeSpan.FromMilliseconds(10) || options.MaxConcurrency < 1)
        {
            yield break; // already reported above
        }

        if (options.AttemptTimeout > options.TotalBudget)
        {
            yield return $"{Prefix}AttemptTimeout must not be longer than {Prefix}TotalBudget ('{options.TotalBudget}'): no attempt could use it (got '{options.AttemptTimeout}').";
        }

        if (options.BreakerSamplingDuration < options.AttemptTimeout * 2 || options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return $"{Prefix}BreakerSamplingDuration must be at least twice {Prefix}AttemptTimeout ('{options.AttemptTimeout}'), or hung attempts never fail inside the window (got '{options.BreakerSamplingDuration}').";
            yield break;
        }

        // Polly's own floor is 2. In a hang every slot fails once per attempt timeout: that is the most the window can see.
        long reachable = options.MaxConcurrency * (long)(options.BreakerSamplingDuration / options.AttemptTimeout);
        if (options.BreakerMinimumThroughput < 2)
        {
            yield return $"{Prefix}BreakerMinimumThroughput must be 2 or more (got {options.BreakerMinimumThroughput}).";
        }
        else if (options.BreakerMinimumThroughput > reachable)
        {
            yield return $"{Prefix}BreakerMinimumThroughput must be at most {reachable} ({Prefix}MaxConcurrency {options.MaxConcurrency} × BreakerSamplingDuration / AttemptTimeout), or a hung endpoint can never open the circuit (got {options.BreakerMinimumThroughput}).";
        }
    }

    /// <summary>Maps "2024-10-21" / "2025-04-01-preview" to the SDK's enum; null when the SDK does not know it.</summary>
    public static AzureOpenAIClientOptions.ServiceVersion? AzureServiceVersion(string? apiVersion)
    {
        if (string.IsNullOrWhiteSpace(apiVersion))
        {
            return null;
        }

        string name = "V" + apiVersion.Trim().Replace('-', '_').Replace("_preview", "_Preview", StringComparison.OrdinalIgnoreCase);
        return Enum.TryParse<AzureOpenAIClientOptions.ServiceVersion>(name, ignoreCase: false, out var version) && Enum.IsDefined(version)
            ? version
            : null;
    }

    private static IEnumerable<string> KnownAzureVersions() =>
        Enum.GetNames<AzureOpenAIClientOptions.ServiceVersion>()
            .Select(n => n[1..].Replace('_', '-').Replace("-Preview", "-preview", StringComparison.Ordinal));
}
