using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Steps;

/// <summary>Prepares a step's request from its template and sends it; when the input is too long, shrinks it once.</summary>
internal sealed partial class StepCaller(PromptLibrary prompts, ILlmClient llm, IOptions<LlmOptions> llmOptions, ILogger<StepCaller> logger)
{
    /// <summary>Where the calls go, for the prompt record.</summary>
    public ProviderInfo Provider => llm.Provider;

    /// <summary>The JSON schema the step's answers follow (its template's <c>schema</c>).</summary>
    public System.Text.Json.JsonElement Schema(string step) => prompts.Get(step).OutputSchema;

    public async Task<(LlmRequest Request, LlmResponse Response)> AskAsync(
        string step, IReadOnlyList<string> messageIds, Func<int, Dictionary<string, string>> variables, CancellationToken cancellationToken)
    {
        var template = prompts.Get(step);
        var maxChars = llmOptions.Value.MaxInputChars;
        try
        {
            var request = template.Prepare(step, prompts.DisplayPath(step), variables(maxChars), llmOptions.Value, messageIds);
            return (request, await llm.SendAsync(request, cancellationToken));
        }
        catch (LlmException ex) when (ex.Kind == LlmFailureKind.ContextLength)
        {
            LogShrinking(logger, step);
            var request = template.Prepare(step, prompts.DisplayPath(step), variables(maxChars / 3), llmOptions.Value, messageIds);
            return (request, await llm.SendAsync(request, cancellationToken));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Step} input is too long for the model; trying once more with a shorter thread")]
    private static partial void LogShrinking(ILogger logger, string step);
}
