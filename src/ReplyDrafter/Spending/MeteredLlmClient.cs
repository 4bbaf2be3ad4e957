using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Spending;

/// <summary>
/// The LLM client as the pipeline and the commands see it: refuses a call once a daily limit is reached (the item
/// waits, as when the model is down, and goes on the next local day), and records every answered call's usage in the
/// ledger for <c>status</c>.
/// </summary>
/// <param name="ledger">Opened on the first call only, so <c>status</c> on a vault that never ran creates no ledger.</param>
internal sealed partial class MeteredLlmClient(
    ILlmClient inner,
    Lazy<Ledger.VaultLedger> ledger,
    IOptions<LlmOptions> options,
    TimeProvider time,
    ILogger<MeteredLlmClient> logger) : ILlmClient
{
    private readonly Lock _logLock = new();

    /// <summary>The layer for <see cref="LlmClientBuilder.UseForPipeline"/>.</summary>
    public static ILlmClient Wrap(ILlmClient inner, IServiceProvider services) => new MeteredLlmClient(
        inner,
        new Lazy<Ledger.VaultLedger>(services.GetRequiredService<Ledger.VaultLedger>),
        services.GetRequiredService<IOptions<LlmOptions>>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<MeteredLlmClient>>());
    private DateOnly? _loggedDay;

    public ProviderInfo Provider => inner.Provider;

    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => inner.ProbeAsync(cancellationToken);

    public async Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = Today();
        var limits = options.Value;
        if ((limits.DailyCallLimit is not null || limits.DailyTokenLimit is not null) &&
            SpendLimits.Reached(limits, ledger.Value.LlmUsage(today), today) is { } reason)
        {
            LogOnce(today, reason);
            throw new LlmException(LlmFailureKind.Unavailable, reason);
        }

        var response = await inner.SendAsync(request, cancellationToken);
        var usage = response.Usage;
        ledger.Value.AddLlmCall(new LlmCallRecord(
            response.Completed,
            Today(),
            request.Step,
            response.ResponseModel ?? request.Settings.Model,
            usage.InputTokens ?? 0,
            usage.CachedInputTokens ?? 0,
            usage.OutputTokens ?? 0,
            response.Attempts,
            response.Latency));
        return response;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    /// <summary>Once per day: every waiting thread hits the limit, the log needs to say it once.</summary>
    private void LogOnce(DateOnly today, string reason)
    {
        lock (_logLock)
        {
            if (_loggedDay == today)
            {
                return;
            }

            _loggedDay = today;
        }

        LogLimitReached(logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogLimitReached(ILogger logger, string reason);
}
