using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ReplyDrafter.Llm;

/// <summary>Sorts transport faults into "retry" and "stop": what the resilience pipeline retries and what counts toward the circuit.</summary>
internal static class LlmFaults
{
    /// <summary>Worth another attempt: the next one may well succeed.</summary>
    /// <remarks>A wrong answer is not here: the client asks again at once with the errors, without back-off.</remarks>
    public static bool IsRetryable(Exception exception, CancellationToken token) =>
        IsTransportFailure(exception, token) || exception is ClientResultException { Status: 429 };

    /// <summary>Says the endpoint itself is in trouble (counts toward opening the circuit). Rate limits and bad answers do not.</summary>
    public static bool IsTransportFailure(Exception exception, CancellationToken token) => exception switch
    {
        TimeoutRejectedException => true,
        ClientResultException { Status: 0 } => true,
        ClientResultException { Status: 408 } => true,
        ClientResultException c => c.Status >= 500,
        HttpRequestException or IOException or SocketException => true,
        OperationCanceledException => !token.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The provider's error code (<c>error.code</c> in the body), e.g. content_filter or insufficient_quota.</summary>
    /// <remarks>The provider's error <em>message</em> is never passed on: it may quote the prompt, that is, mail.</remarks>
    public static string? ErrorCode(ClientResultException exception) => ErrorField(exception, "code");

    private static string? ErrorField(ClientResultException exception, string field)
    {
        try
        {
            var content = exception.GetRawResponse()?.Content;
            if (content is null || content.ToMemory().Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) &&
                error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty(field, out var value))
            {
                // A null or empty code is no code: "HTTP 500", not "HTTP 500 ".
                var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Null ? null : value.ToString();
                return string.IsNullOrWhiteSpace(text) ? null : text;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not the OpenAI error shape: no code to go by.
        }

        return null;
    }

    /// <summary>Server-requested delay: <c>retry-after-ms</c> (Azure/OpenAI), then <c>Retry-After</c> seconds or date.</summary>
    public static TimeSpan? RetryAfter(Exception? exception, TimeProvider timeProvider)
    {
        if (exception is not ClientResultException c || c.GetRawResponse() is not { } response)
        {
            return null;
        }

        return RateLimitHeaders.RetryAfter(
            response.Headers.TryGetValue("retry-after-ms", out string? ms) ? ms : null,
            response.Headers.TryGetValue("Retry-After", out string? after) ? after : null,
            timeProvider.GetUtcNow());
    }

    /// <summary>A few words for logs and messages: never content, never a key.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        TimeoutRejectedException => "no answer within the attempt timeout",
        BrokenCircuitException => "circuit open",
        ClientResultException { Status: 0 } c => NetworkReason(c),
        // Azure's error code for a 429 is "429" itself: said once, not "HTTP 429 429".
        ClientResultException c => ErrorCode(c) is { } code && code != c.Status.ToString(CultureInfo.InvariantCulture) ? $"HTTP {c.Status} {code}" : $"HTTP {c.Status}",
        OperationCanceledException => "the request timed out",
        _ => NetworkReason(exception),
    };

    private static string NetworkReason(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.ConnectionReset => "connection reset",
                    _ => $"network error {socket.SocketErrorCode}",
                };
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http)
            {
                return http.HttpRequestError switch
                {
                    HttpRequestError.ConnectionError => "connection failed",
                    HttpRequestError.ResponseEnded => "the server closed the connection",
                    HttpRequestError.NameResolutionError => "host not found",
                    HttpRequestError.SecureConnectionError => "TLS handshake failed",
                    _ => $"network error ({http.HttpRequestError})",
                };
            }

            if (e is IOException)
            {
                return "the connection was interrupted";
            }
        }

        return "network error";
    }
}
