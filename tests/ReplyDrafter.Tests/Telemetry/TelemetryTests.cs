using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReplyDrafter.Cli;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Telemetry;

// Listeners and meters are process-wide: the telemetry tests run one after another so each sees only its own counts.
[Collection("Telemetry")]
public sealed class TelemetryTests
{
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddReplyDrafterTelemetry();
        builder.AddReplyDrafterTelemetryExport();
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public void AddReplyDrafterTelemetryExport_NoEndpoint_NoProviders()
    {
        using var services = Services();

        Assert.Null(services.GetService<TracerProvider>());
        Assert.Null(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<ReplyDrafterTelemetry>());
    }

    [Fact]
    public void AddReplyDrafterTelemetryExport_OurEndpoint_TracingAndMetricsOverOtlp()
    {
        using var services = Services(("ReplyDrafter:Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"));

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
    }

    [Fact]
    public void Export_HttpProtobuf_SignalPathAdded()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("ReplyDrafter:Telemetry:OtlpEndpoint", "http://collector:4318"),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ]).Build();
        var export = TelemetryHosting.Export.From(configuration)!;
        var options = new OtlpExporterOptions();

        export.Apply(options, "traces");

        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), options.Endpoint);
    }

    [Fact]
    public void Export_StandardVariableOnlyGrpc_Endpoint()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")]).Build();

        var export = TelemetryHosting.Export.From(configuration)!;

        Assert.Equal(OtlpExportProtocol.Grpc, export.Protocol);
        Assert.Equal(new Uri("http://collector:4317"), export.Endpoint);
    }

    [Fact]
    public void Export_BadProtocol_OneLineNamingTheVariable()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon"),
        ]).Build();

        var error = Assert.Throws<UsageException>(() => TelemetryHosting.Export.From(configuration));

        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Instruments_ThreadAndItem_SpansAndCounters()
    {
        using var services = Services();
        var telemetry = services.GetRequiredService<ReplyDrafterTelemetry>();
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(ReplyDrafterTelemetry.SourceName).AddInMemoryExporter(spans).Build()!;
        using var meter = Sdk.CreateMeterProviderBuilder().AddMeter(ReplyDrafterTelemetry.SourceName).AddInMemoryExporter(metrics).Build()!;

        using (telemetry.StartItem("budget.eml"))
        {
            using (telemetry.StartThread("thread-1", messages: 3))
            {
                telemetry.DraftWritten();
            }

            telemetry.ItemDone();
        }

        using (telemetry.StartItem("broken.eml"))
        {
            telemetry.ItemFailed("not a mail message");
        }

        telemetry.ItemsWaiting(2);
        telemetry.SetImapState("idle");
        meter.ForceFlush();

        var thread = spans.Single(s => s.OperationName == "replydrafter.thread");
        Assert.Equal(3, thread.GetTagItem("replydrafter.thread.messages"));
        Assert.Equal("budget.eml", thread.Parent!.GetTagItem("replydrafter.item.name"));
        var failed = spans.Single(s => (string?)s.GetTagItem("replydrafter.item.name") == "broken.eml");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(1, Sum(metrics, "replydrafter.items.done"));
        Assert.Equal(1, Sum(metrics, "replydrafter.items.failed"));
        Assert.Equal(2, Sum(metrics, "replydrafter.items.waiting"));
        Assert.Equal(1, Sum(metrics, "replydrafter.drafts.written"));
        var imap = metrics.Single(m => m.Name == "replydrafter.imap.connection");
        var states = new List<string?>();
        foreach (ref readonly var point in imap.GetMetricPoints())
        {
            foreach (var tag in point.Tags)
            {
                states.Add(tag.Value as string);
            }
        }

        Assert.Equal(["idle"], states);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wrap_ChatCall_GenAiSpanWithUsageAndContentOnlyWhenAsked(bool includeContent)
    {
        await using var server = await FakeLlmServer.StartAsync(_ => FakeLlmReply.Json("{\"ok\":true}"));
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(ReplyDrafterTelemetry.LlmSourceName).AddInMemoryExporter(spans).Build()!;
        using var meter = Sdk.CreateMeterProviderBuilder().AddMeter(ReplyDrafterTelemetry.LlmSourceName).AddInMemoryExporter(metrics).Build()!;
        var sdk = new OpenAIClient(new System.ClientModel.ApiKeyCredential(FakeLlmServer.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.OpenAIEndpoint) });
        var wrapper = new ChatClientTelemetry(Options.Create(new TelemetryOptions { IncludeContent = includeContent }));
        using var chat = wrapper.Wrap(sdk.GetChatClient(FakeLlmServer.Model).AsIChatClient());

        await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "secret budget numbers")], new ChatOptions { ModelId = FakeLlmServer.Model });
        meter.ForceFlush();

        var span = Assert.Single(spans);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(FakeLlmServer.Model, span.GetTagItem("gen_ai.request.model"));
        Assert.NotNull(span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.NotNull(span.GetTagItem("gen_ai.usage.output_tokens"));
        var content = string.Join(" ", span.Tags.Select(t => t.Value)) + string.Join(" ", span.Events.SelectMany(e => e.Tags).Select(t => t.Value));
        Assert.Equal(includeContent, content.Contains("secret budget numbers", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.Name == "gen_ai.client.token.usage");
    }

    [Fact]
    public async Task RunOnce_RealPipeline_ThreadItemAndGenAiSpansAndCounters()
    {
        await using var harness = await ReplyDrafter.Tests.EndToEnd.DaemonHarness.StartAsync();
        harness.Drop(ReplyDrafter.Tests.TestData.MimeMessageBuilder.ToMe("a@example.com", "Budget for Q3"), "telemetry-budget.eml");
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(ReplyDrafterTelemetry.SourceName, ReplyDrafterTelemetry.LlmSourceName).AddInMemoryExporter(spans).Build()!;
        using var meter = Sdk.CreateMeterProviderBuilder().AddMeter(ReplyDrafterTelemetry.SourceName).AddInMemoryExporter(metrics).Build()!;
        var (code, _, error) = await harness.RunOnceAsProgramAsync();
        meter.ForceFlush();

        Assert.True(code == 0, error);
        var item = spans.Single(s => s.OperationName == "replydrafter.item" && (string?)s.GetTagItem("replydrafter.item.name") == "telemetry-budget.eml");
        Assert.Equal(ActivityStatusCode.Unset, item.Status);
        var thread = Assert.Single(spans, s => s.OperationName == "replydrafter.thread");
        Assert.Equal(1, thread.GetTagItem("replydrafter.thread.messages"));
        var chats = spans.Where(s => (string?)s.GetTagItem("gen_ai.operation.name") == "chat" && s.ParentSpanId == thread.SpanId).ToList();
        Assert.Equal(2, chats.Count); // the note and the draft, inside the thread's span
        Assert.All(chats, c => Assert.NotNull(c.GetTagItem("gen_ai.usage.input_tokens")));
        Assert.Equal(1, Sum(metrics, "replydrafter.items.done"));
        Assert.Equal(0, Sum(metrics, "replydrafter.items.failed"));
        Assert.Equal(1, Sum(metrics, "replydrafter.drafts.written"));
    }

    private static long Sum(List<Metric> metrics, string name)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                total += point.GetSumLong();
            }
        }

        return total;
    }
}
