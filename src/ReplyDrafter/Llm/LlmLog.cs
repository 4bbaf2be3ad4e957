using Microsoft.Extensions.Logging;

namespace ReplyDrafter.Llm;

/// <summary>LLM log lines. Prompts and answers only at Trace; never a key.</summary>
internal static partial class LlmLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "LLM {Step} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string step, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "LLM endpoint {EndpointHost} keeps failing; calls paused for {BreakMs} ms")]
    public static partial void CircuitOpened(ILogger logger, string endpointHost, long breakMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "LLM endpoint {EndpointHost} answers again")]
    public static partial void CircuitClosed(ILogger logger, string endpointHost);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "LLM {Step} answered in {LatencyMs} ms after {Attempts} attempt(s), {InputTokens}+{OutputTokens} tokens")]
    public static partial void Answered(ILogger logger, string step, long latencyMs, int attempts, long? inputTokens, long? outputTokens);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "LLM {Step} failed: {Kind}")]
    public static partial void Failed(ILogger logger, string step, LlmFailureKind kind);

    /// <summary>The stack trace of a call that failed for good, once (a retried fault is one <see cref="RetryScheduled"/> line).</summary>
    /// <remarks>At Trace: the exception's message may quote the provider's error, which may quote the prompt.</remarks>
    [LoggerMessage(EventId = 1111, Level = LogLevel.Trace, Message = "LLM {Step} failed for good")]
    public static partial void FailedDetail(ILogger logger, Exception exception, string step);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Trace, Message = "LLM {Step} request body: {Body}")]
    public static partial void RequestBody(ILogger logger, string step, string? body);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Trace, Message = "LLM {Step} answer (finish {FinishReason}): {Text}")]
    public static partial void AnswerText(ILogger logger, string step, string? finishReason, string text);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Debug, Message = "LLM {Step} answer rejected: {Problem}")]
    public static partial void AnswerRejected(ILogger logger, string step, IReadOnlyList<string> problem);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "LLM {Step} answer did not fit the schema; asking again ({Reask} of {MaxReasks})")]
    public static partial void Reasking(ILogger logger, string step, int reask, int maxReasks);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Warning, Message = "LLM rate limit hit (HTTP 429); every call waits {WaitMs} ms, concurrency now {Limit}")]
    public static partial void RateLimited(ILogger logger, long waitMs, int limit);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "LLM rate-limit headers said there was room {Count} times when the server answered 429; pacing by the concurrency limit alone")]
    public static partial void RateLimitHeadersIgnored(ILogger logger, int count);
}
