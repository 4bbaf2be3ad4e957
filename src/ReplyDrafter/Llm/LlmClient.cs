using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace ReplyDrafter.Llm;

/// <inheritdoc cref="ILlmClient"/>
/// <remarks>
/// A call holds one concurrency slot throughout (so back-off never lets more calls in than allowed). Each HTTP attempt
/// goes through the resilience pipeline (<see cref="LlmResilience"/>) and is paced by <see cref="ProviderRateLimits"/>.
/// An answer that fails the schema is asked again at once, with the errors appended, at most <see cref="MaxReasks"/> times.
/// <see cref="LlmResponse.Latency"/> is the whole call, retries and re-asks included.
/// </remarks>
internal sealed class LlmClient(
    IOptions<LlmOptions> options,
    ChatClientFactory chats,
    ProviderRateLimits limits,
    ResiliencePipelineProvider<string> pipelines,
    AnswerValidator validator,
    LlmFailures failures,
    LlmAdvice advice,
    LlmProbe probe,
    TimeProvider timeProvider,
    ILogger<LlmClient> logger) : ILlmClient
{
    public const int MaxReasks = 2;

    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(LlmResilience.PipelineKey);

    public ProviderInfo Provider { get; } = new(
        options.Value.Provider.ToString(),
        advice.EndpointHost,
        options.Value.Deployment,
        string.IsNullOrWhiteSpace(options.Value.ApiVersion) ? null : options.Value.ApiVersion.Trim(),
        SdkVersions.Loaded);

    public async Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chat = chats.For(request.Settings.Model);
        using var slot = await limits.Concurrency.AcquireAsync(cancellationToken);
        long started = timeProvider.GetTimestamp();
        var attempts = new List<LlmAttempt>();
        var capture = WireCapture.Begin();
        var conversation = request.Messages.ToList();
        try
        {
            for (int reask = 0; ; reask++)
            {
                var response = await CallAsync(chat, request, conversation, attempts, capture, cancellationToken);
                if (response.FinishReason == ChatFinishReason.ContentFilter)
                {
                    throw LlmFailures.Filtered(request);
                }

                var check = validator.Check(response, request.Settings);
                attempts[^1] = attempts[^1] with { Outcome = check.IsValid ? LlmAttempt.Answer : LlmAttempt.Invalid, Problems = check.Problems };
                if (check.Value is { } value)
                {
                    return Answer(request, response, value, started, attempts, capture);
                }

                LlmLog.AnswerRejected(logger, request.Step, check.Problems);

                if (reask == MaxReasks)
                {
                    throw LlmFailures.Unusable(request, attempts.Count, check.Problems);
                }

                LlmLog.Reasking(logger, request.Step, reask + 1, MaxReasks);
                conversation.Add(new ChatMessage(ChatRole.Assistant, response.Text));
                conversation.Add(new ChatMessage(ChatRole.User, Reask(request.Settings.SchemaName, check.Problems)));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (LlmException e)
        {
            LlmLog.Failed(logger, request.Step, e.Kind);
            LlmLog.FailedDetail(logger, e, request.Step);
            throw;
        }
        catch (Exception e)
        {
            var failure = failures.Unavailable(e, attempts.Count);
            LlmLog.Failed(logger, request.Step, failure.Kind);
            LlmLog.FailedDetail(logger, e, request.Step);
            throw failure;
        }
    }

    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => probe.ProbeAsync(cancellationToken);

    /// <summary>One answer, transport retries included; every HTTP attempt is added to <paramref name="attempts"/>.</summary>
    private async Task<ChatResponse> CallAsync(
        IChatClient chat, LlmRequest request, List<ChatMessage> conversation, List<LlmAttempt> attempts, WireCapture capture, CancellationToken token)
    {
        var chatOptions = request.Settings.ToChatOptions();

        var context = ResilienceContextPool.Shared.Get(request.Step, token);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ctx =>
                {
                    var attempt = new LlmAttempt(attempts.Count + 1, timeProvider.GetUtcNow(), LlmAttempt.Fault, null, []);
                    attempts.Add(attempt);
                    try
                    {
                        var response = await chat.GetResponseAsync(conversation, chatOptions, ctx.CancellationToken);
                        LlmLog.AnswerText(logger, request.Step, response.FinishReason?.Value, response.Text);
                        attempts[^1] = attempt with { Outcome = LlmAttempt.Answer, RawText = response.Text };
                        return response;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        string problem = e is OperationCanceledException && ctx.CancellationToken.IsCancellationRequested
                            ? "no answer within the attempt timeout"
                            : LlmFaults.Describe(e);
                        attempts[^1] = attempt with { Problems = [problem] };
                        throw e is ClientResultException c && failures.Permanent(c, request) is { } permanent ? permanent : e;
                    }
                    finally
                    {
                        LlmLog.RequestBody(logger, request.Step, capture.Body);
                    }
                },
                context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private LlmResponse Answer(LlmRequest request, ChatResponse response, System.Text.Json.JsonElement value, long started, List<LlmAttempt> attempts, WireCapture capture)
    {
        var latency = timeProvider.GetElapsedTime(started);
        var usage = new LlmUsage(
            response.Usage?.InputTokenCount,
            response.Usage?.OutputTokenCount,
            response.Usage?.TotalTokenCount,
            response.Usage?.CachedInputTokenCount);
        LlmLog.Answered(logger, request.Step, (long)latency.TotalMilliseconds, attempts.Count, usage.InputTokens, usage.OutputTokens);
        return new LlmResponse(
            response.Text,
            value,
            response.FinishReason?.Value,
            (response.RawRepresentation as OpenAI.Chat.ChatCompletion)?.SystemFingerprint,
            response.ModelId,
            usage,
            latency,
            attempts.Count,
            capture.Body,
            timeProvider.GetUtcNow(),
            attempts);
    }

    private static string Reask(string schemaName, IReadOnlyList<string> problems) =>
        $"Your answer does not fit the '{schemaName}' JSON schema:\n- {string.Join("\n- ", problems)}\n" +
        "Answer again with one JSON object that fits the schema, nothing else.";
}
