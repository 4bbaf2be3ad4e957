using System.ClientModel;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ReplyDrafter.Llm;

/// <summary>Turns what went wrong into an <see cref="LlmException"/>: its kind decides what the pipeline does, its message tells the user what to fix.</summary>
internal sealed class LlmFailures(IOptions<LlmOptions> options, LlmAdvice advice)
{
    private readonly LlmOptions _options = options.Value;

    /// <summary>Errors that retrying cannot fix; null when a retry may help. Messages name the likely fix and never the key.</summary>
    public LlmException? Permanent(ClientResultException e, LlmRequest request)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(request);
        string? code = LlmFaults.ErrorCode(e);
        string endpoint = advice.EndpointDisplay;
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
                $"The LLM at {endpoint} refused the credentials (HTTP {e.Status}). Check ReplyDrafter:Llm:ApiKey (and, for Azure, the key's access to the resource).",
                e),
            404 => new LlmException(
                LlmFailureKind.Paused,
                _options.Provider == LlmProvider.AzureOpenAI
                    ? $"The Azure OpenAI deployment '{request.Settings.Model}' was not found at {endpoint} (HTTP 404). Check ReplyDrafter:Llm:Deployment and ReplyDrafter:Llm:Endpoint."
                    : $"The model '{request.Settings.Model}' was not found at {endpoint} (HTTP 404). Check ReplyDrafter:Llm:Deployment and ReplyDrafter:Llm:Endpoint{(advice.IsLocal ? $", or run `ollama pull {request.Settings.Model}`" : "")}.",
                e),
            429 when code == "insufficient_quota" => new LlmException(
                LlmFailureKind.Paused,
                $"The LLM account behind {endpoint} is out of quota (insufficient_quota). Add credit or raise the quota, then restart.",
                e),
            >= 400 and < 500 and not 408 and not 429 => new LlmException(
                LlmFailureKind.Rejected,
                $"The LLM at {endpoint} refused the {request.Step} request (HTTP {e.Status}{(code is null ? "" : " " + code)}); the model or server may not support structured output with a JSON schema.",
                e),
            _ => null,
        };
    }

    /// <summary>The provider's content filter stopped the answer itself (finish reason content_filter).</summary>
    public static LlmException Filtered(LlmRequest request) => new(
        LlmFailureKind.Rejected,
        $"The provider's content filter stopped the {request.Step} answer; the item cannot be processed as it is.");

    /// <summary>The model kept answering outside the schema, re-asks included.</summary>
    public static LlmException Unusable(LlmRequest request, int calls, IReadOnlyList<string> problems) => new(
        LlmFailureKind.Rejected,
        $"The model gave no usable {request.Step} answer in {calls} attempt(s): the answer does not fit the '{request.Settings.SchemaName}' schema ({string.Join("; ", problems.Take(3))}).");

    /// <summary>A transport failure that outlasted the retries, the budget or the circuit.</summary>
    public LlmException Unavailable(Exception e, int attempts) => e switch
    {
        BrokenCircuitException => new LlmException(
            LlmFailureKind.Unavailable,
            advice.Unreachable($"calls paused for {_options.BreakDuration.TotalSeconds:0.#} s after repeated failures"),
            e),
        TimeoutRejectedException => new LlmException(
            LlmFailureKind.Unavailable,
            advice.Unreachable($"no answer in time, {attempts} attempt(s)"),
            e),
        _ => new LlmException(
            LlmFailureKind.Unavailable,
            advice.Unreachable($"{LlmFaults.Describe(e)}{(attempts > 1 ? $", {attempts} attempts" : "")}"),
            e),
    };
}
