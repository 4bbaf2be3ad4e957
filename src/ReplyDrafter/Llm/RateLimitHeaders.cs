using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Llm;

/// <summary>
/// One limit as a response reports it: its size (0 when not sent), what is left, and when all of it is back (null when
/// not sent): for a bucket the time until it is full, for a fixed window the window's end.
/// </summary>
internal readonly record struct RateLimitReading(double Limit, double Remaining, TimeSpan? Reset);

/// <summary>
/// Reads OpenAI / Azure OpenAI rate-limit headers: <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c> on every
/// answer (Azure sends some deployments' <c>remaining</c> alone, or <c>-1</c> for all three), <c>retry-after-ms</c> /
/// <c>Retry-After</c> on 429. Reset values are durations such as <c>1s</c>, <c>6m0s</c>, <c>20ms</c>, or plain seconds.
/// A reading that makes no sense (a negative or unreadable number, more left than the limit) is no reading.
/// </summary>
internal static partial class RateLimitHeaders
{
    public static RateLimitReading? Requests(HttpResponseHeaders headers) => Read(headers, "requests");

    public static RateLimitReading? Tokens(HttpResponseHeaders headers) => Read(headers, "tokens");

    /// <summary>Server-requested delay: <c>retry-after-ms</c> first (finer), then <c>Retry-After</c> seconds or HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return RetryAfter(Value(headers, "retry-after-ms"), Value(headers, "Retry-After"), now);
    }

    /// <summary>The same from the raw header values, for responses the SDK reports in its own exception type.</summary>
    public static TimeSpan? RetryAfter(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        }

        return DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            ? (when > now ? when - now : TimeSpan.Zero)
            : null;
    }

    /// <summary>Go-style durations (<c>1h2m3.5s</c>, <c>250ms</c>) or plain seconds; null when unreadable.</summary>
    public static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double plainSeconds))
        {
            return plainSeconds >= 0 ? TimeSpan.FromSeconds(plainSeconds) : null;
        }

        var parts = DurationPart().Matches(text);
        if (parts.Count == 0 || parts.Sum(p => p.Length) != text.Length)
        {
            return null;
        }

        double totalMs = 0;
        foreach (Match part in parts)
        {
            double n = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            totalMs += part.Groups[2].Value switch
            {
                "h" => n * 3_600_000,
                "m" => n * 60_000,
                "s" => n * 1000,
                _ => n,
            };
        }

        return TimeSpan.FromMilliseconds(totalMs);
    }

    private static RateLimitReading? Read(HttpResponseHeaders headers, string kind)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (Number(Value(headers, "x-ratelimit-remaining-" + kind)) is not { } remaining)
        {
            return null;
        }

        string? limitText = Value(headers, "x-ratelimit-limit-" + kind);
        string? resetText = Value(headers, "x-ratelimit-reset-" + kind);
        double? limit = limitText is null ? 0 : Number(limitText);
        TimeSpan? reset = resetText is null ? null : Duration(resetText);
        if (limit is not { } size || (limitText is not null && (size <= 0 || remaining > size)) || (resetText is not null && reset is null))
        {
            return null;
        }

        return new RateLimitReading(size, remaining, reset);
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0 ? n : null;

    private static string? Value(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(ms|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
