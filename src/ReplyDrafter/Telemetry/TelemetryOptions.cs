namespace ReplyDrafter.Telemetry;

/// <summary>The <c>ReplyDrafter:Telemetry</c> section. Nothing is exported unless an OTLP endpoint is set.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "ReplyDrafter:Telemetry";

    /// <summary>OTLP collector (e.g. <c>http://localhost:4317</c>); the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> also works.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Put prompts and answers on the LLM spans. Off: mail text stays out of the telemetry backend.</summary>
    public bool IncludeContent { get; set; }
}
