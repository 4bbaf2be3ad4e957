using Microsoft.Extensions.Options;

namespace ReplyDrafter.Telemetry;

/// <summary>Checks <c>ReplyDrafter:Telemetry</c> at start, each message naming its key.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.OtlpEndpoint;
        if (!string.IsNullOrWhiteSpace(endpoint)
            && (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return ValidateOptionsResult.Fail($"{TelemetryOptions.Section}:OtlpEndpoint must be an http(s) URL such as http://localhost:4317 (got '{endpoint}').");
        }

        return ValidateOptionsResult.Success;
    }
}
