using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReplyDrafter.Telemetry;

namespace ReplyDrafter.Tests.Telemetry;

/// <summary>The export really goes out over OTLP/HTTP to the configured endpoint, signal paths included.</summary>
// Listeners and meters are process-wide: the telemetry tests run one after another so each sees only its own counts.
[Collection("Telemetry")]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task AddReplyDrafterTelemetryExport_HttpProtobuf_PostsTracesAndMetrics()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, long Bytes)>();
        var web = TestServer.LoopbackWeb.CreateBuilder();
        web.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = web.Build();
        collector.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path, context.Request.ContentType, body.Length));
            return Results.Ok();
        });
        await collector.StartAsync();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([
            new("ReplyDrafter:Telemetry:OtlpEndpoint", collector.Urls.Single()),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ]);
        builder.AddReplyDrafterTelemetry();
        builder.AddReplyDrafterTelemetryExport();
        using var host = builder.Build();
        var tracer = host.Services.GetRequiredService<TracerProvider>();
        var meter = host.Services.GetRequiredService<MeterProvider>();
        var telemetry = host.Services.GetRequiredService<ReplyDrafterTelemetry>();

        using (telemetry.StartItem("budget.eml"))
        {
            telemetry.ItemDone();
        }

        Assert.True(tracer.ForceFlush(10_000));
        Assert.True(meter.ForceFlush(10_000));

        Assert.Contains(received, r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf" && r.Bytes > 0);
        Assert.Contains(received, r => r.Path == "/v1/metrics" && r.Bytes > 0);
    }
}
