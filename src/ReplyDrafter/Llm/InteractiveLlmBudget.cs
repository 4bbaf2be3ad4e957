using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReplyDrafter.Llm;

/// <summary>
/// For commands a person waits on (<c>status</c>, <c>replay</c>): one attempt, no back-off, so a model that is down is
/// reported in seconds (the connect timeout is at most 10 s, see <see cref="ChatClientFactory"/>) instead of after
/// the daemon's retry budget of a minute or more. The attempt timeout stays: a slow local model may still answer.
/// They also skip the pipeline's layers (<see cref="LlmClientBuilder.UseForPipeline"/>): a replay never touches the
/// ledger, and the user's own command neither counts against nor is held back by the daily limits.
/// </summary>
/// <remarks>Its presence in the container is the switch, so it may be registered before or after the client.</remarks>
internal sealed class InteractiveLlmBudget
{
    public static IServiceCollection UseInteractiveLlmBudget(IServiceCollection services)
    {
        services.PostConfigure<LlmOptions>(options => options.MaxRetries = 0);
        services.TryAddSingleton<InteractiveLlmBudget>();
        return services;
    }
}
