namespace ReplyDrafter.Tests.TestServer;

/// <summary>
/// What the fake server answers to one chat request. A 200 reply with no <see cref="Content"/> (e.g. <see cref="Slow"/>)
/// falls through to the responder after its delay.
/// </summary>
public sealed record FakeLlmReply
{
    public int StatusCode { get; init; } = 200;

    /// <summary>The assistant message content; null lets the responder fill it in (status 200) or sends null content.</summary>
    public string? Content { get; init; }

    public string FinishReason { get; init; } = "stop";

    /// <summary>For an error status: the OpenAI error shape's <c>error.code</c>.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Wait this long before answering (cut short when the client gives up).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Drop the connection without an answer.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>Sends the content with a null message (content filter stops).</summary>
    public bool NullContent { get; init; }

    public static FakeLlmReply Json(string content) => new() { Content = content };

    public static FakeLlmReply Error(int status, string? code = null, string? message = null) =>
        new() { StatusCode = status, ErrorCode = code, ErrorMessage = message ?? $"fake error {status}" };

    public static FakeLlmReply RateLimited(TimeSpan retryAfter, bool milliseconds) => new()
    {
        StatusCode = 429,
        ErrorCode = "rate_limit_exceeded",
        ErrorMessage = "Rate limit reached.",
        Headers = milliseconds
            ? new Dictionary<string, string> { ["retry-after-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : new Dictionary<string, string> { ["Retry-After"] = ((long)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static FakeLlmReply ServerError(int status = 500) => Error(status, null, "The server had an error.");

    public static FakeLlmReply Slow(TimeSpan delay) => new() { Delay = delay };

    public static FakeLlmReply Malformed() => Json("{\"title\": \"Unclosed");

    public static FakeLlmReply NotMatchingSchema() => Json("{\"something\": \"else\"}");

    public static FakeLlmReply Truncated() => new() { Content = "{\"title\": \"Budget review\", \"kind\": \"proj", FinishReason = "length" };

    public static FakeLlmReply ContentFiltered() => new() { NullContent = true, FinishReason = "content_filter" };

    public static FakeLlmReply ContentFilterError() => Error(400, "content_filter", "The response was filtered due to the prompt triggering content management policy.");

    public static FakeLlmReply ContextLengthExceeded() => Error(400, "context_length_exceeded", "This model's maximum context length is 8192 tokens.");

    public static FakeLlmReply Unauthorized() => Error(401, "invalid_api_key", "Incorrect API key provided.");

    public static FakeLlmReply NotFound() => Error(404, "DeploymentNotFound", "The API deployment for this resource does not exist.");

    public static FakeLlmReply InsufficientQuota() => Error(429, "insufficient_quota", "You exceeded your current quota.");

    public static FakeLlmReply Drop() => new() { CloseConnection = true };
}
