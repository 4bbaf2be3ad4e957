using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReplyDrafter.Telemetry;

/// <summary>Registers the instruments always (free when unobserved) and the OTLP export only when an endpoint is set.</summary>
internal static class TelemetryHosting
{
    private const string StandardEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string StandardProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public static IHostApplicationBuilder AddReplyDrafterTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<TelemetryOptions, TelemetryOptionsValidator>()
            .Configure<IConfiguration>(static (_, configuration) => CheckReadable(configuration))
            .BindConfiguration(TelemetryOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton<ReplyDrafterTelemetry>();
        services.TryAddSingleton<ChatClientTelemetry>();
        return builder;
    }

    /// <summary>A value the binder cannot read (<c>IncludeContent: maybe</c>) fails at start naming the key, as a bad value does.</summary>
    private static void CheckReadable(IConfiguration configuration)
    {
        try
        {
            configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>();
        }
        catch (InvalidOperationException e)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(TelemetryOptions), [e.Message]);
        }
    }

    /// <summary>
    /// OTLP export of the spans and metrics above, only when <c>ReplyDrafter:Telemetry:OtlpEndpoint</c> or
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Reads the configuration now, so call it once every settings file is in.
    /// </summary>
    public static IHostApplicationBuilder AddReplyDrafterTelemetryExport(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Export.From(builder.Configuration) is not { } export)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("replydrafter", serviceVersion: typeof(TelemetryHosting).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(ReplyDrafterTelemetry.SourceName, ReplyDrafterTelemetry.LlmSourceName)
                .AddOtlpExporter(o => export.Apply(o, "traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(ReplyDrafterTelemetry.SourceName, ReplyDrafterTelemetry.LlmSourceName)
                .AddOtlpExporter(o => export.Apply(o, "metrics")));
        return builder;
    }

    /// <summary>Where to export: our key wins over the standard variable; the protocol is the standard variable's.</summary>
    internal sealed record Export(Uri? Endpoint, OtlpExportProtocol Protocol)
    {
        /// <summary>null: no endpoint anywhere, so nothing is exported.</summary>
        /// <exception cref="UsageException">naming the key, for a bad endpoint or protocol.</exception>
        public static Export? From(IConfiguration configuration)
        {
            var ours = configuration[TelemetryOptions.Section + ":OtlpEndpoint"];
            var standard = configuration[StandardEndpoint];
            if (string.IsNullOrWhiteSpace(ours) && string.IsNullOrWhiteSpace(standard))
            {
                return null;
            }

            var protocol = configuration[StandardProtocol]?.Trim() switch
            {
                null or "" or "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new UsageException($"{StandardProtocol} must be grpc or http/protobuf (got '{other}')."),
            };

            var (key, text) = string.IsNullOrWhiteSpace(ours) ? (StandardEndpoint, standard!) : (TelemetryOptions.Section + ":OtlpEndpoint", ours);
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"{key} must be an http(s) URL such as http://localhost:4317 (got '{text}').");
            }

            return new Export(endpoint, protocol);
        }

        /// <summary>
        /// Over http/protobuf an endpoint set in code is used as is, so the signal's path (<c>/v1/traces</c>) is added
        /// here, as the exporter itself does for the standard variable.
        /// </summary>
        public void Apply(OtlpExporterOptions options, string signal)
        {
            ArgumentNullException.ThrowIfNull(options);
            options.Protocol = Protocol;
            if (Endpoint is not null)
            {
                options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
                    ? new Uri(Endpoint, Endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal)
                    : Endpoint;
            }
        }
    }
}
