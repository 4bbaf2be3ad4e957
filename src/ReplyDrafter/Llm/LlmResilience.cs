using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace ReplyDrafter.Llm;

/// <summary>
/// The transport pipeline for one model call, registered with <c>AddResiliencePipeline</c> so it gets Polly's telemetry
/// and DI. Outermost first: total budget, retry (exponential with jitter, or the server's Retry-After), circuit breaker
/// (transport failures only), attempt timeout. Wrong answers never reach it: the client re-asks without back-off.
/// </summary>
internal static class LlmResilience
{
    public const string PipelineKey = "ReplyDrafter.Llm";

    public static IServiceCollection AddLlmResilience(this IServiceCollection services)
    {
        services.AddResilienceEnricher();

        // Keep Polly's metrics, drop its log lines: they quote the provider's error message, which may quote the
        // prompt (mail). LlmLog says the same things without it.
        services.PostConfigureAll<TelemetryOptions>(o => o.LoggerFactory = NullLoggerFactory.Instance);
        services.AddResiliencePipeline(PipelineKey, static (builder, context) =>
        {
            var sp = context.ServiceProvider;
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            var logger = sp.GetRequiredService<ILogger<LlmClient>>();
            string endpointHost = new Uri(options.Endpoint).Host;
            builder.TimeProvider = time;
            builder.AddTimeout(options.TotalBudget);

            // Polly refuses a retry strategy of zero retries: no retries (the interactive commands) means none at all.
            if (options.MaxRetries > 0)
            {
                builder.AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = TimeSpan.FromMinutes(1),
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is { } e && LlmFaults.IsRetryable(e, args.Context.CancellationToken)),
                    DelayGenerator = args => ValueTask.FromResult(LlmFaults.RetryAfter(args.Outcome.Exception, time)),
                    OnRetry = args =>
                    {
                        LlmLog.RetryScheduled(
                            logger,
                            args.Context.OperationKey ?? "call",
                            args.AttemptNumber + 1,
                            args.Outcome.Exception is { } e ? LlmFaults.Describe(e) : "unknown",
                            (long)args.RetryDelay.TotalMilliseconds);
                        return ValueTask.CompletedTask;
                    },
                });
            }

            builder
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = options.BreakerMinimumThroughput,
                    SamplingDuration = options.BreakerSamplingDuration,
                    BreakDuration = options.BreakDuration,
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception is { } e && LlmFaults.IsTransportFailure(e, args.Context.CancellationToken)),
                    OnOpened = args =>
                    {
                        LlmLog.CircuitOpened(logger, endpointHost, (long)args.BreakDuration.TotalMilliseconds);
                        return ValueTask.CompletedTask;
                    },
                    OnClosed = _ =>
                    {
                        LlmLog.CircuitClosed(logger, endpointHost);
                        return ValueTask.CompletedTask;
                    },
                })
                .AddTimeout(options.AttemptTimeout);
        });
        return services;
    }
}
