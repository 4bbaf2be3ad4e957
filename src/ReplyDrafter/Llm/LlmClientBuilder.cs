using Microsoft.Extensions.DependencyInjection;

namespace ReplyDrafter.Llm;

/// <summary>
/// The layers around <see cref="LlmClient"/>, listed once where the client is registered, outermost first, as
/// Microsoft.Extensions.AI's <c>ChatClientBuilder</c> lists a chat client's. Under them, inside <see cref="LlmClient"/>:
/// the concurrency slot, the resilience pipeline (<see cref="LlmResilience"/>), the schema re-asks; under that, the chat
/// client with its telemetry (<see cref="ChatClientFactory"/>).
/// </summary>
internal sealed class LlmClientBuilder
{
    private readonly List<(Func<ILlmClient, IServiceProvider, ILlmClient> Wrap, bool PipelineOnly)> _layers = [];

    /// <summary>A layer every caller gets.</summary>
    public LlmClientBuilder Use(Func<ILlmClient, IServiceProvider, ILlmClient> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _layers.Add((wrap, false));
        return this;
    }

    /// <summary>A layer the pipeline gets and the commands a person waits on do not (see <see cref="InteractiveLlmBudget"/>).</summary>
    public LlmClientBuilder UseForPipeline(Func<ILlmClient, IServiceProvider, ILlmClient> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _layers.Add((wrap, true));
        return this;
    }

    public ILlmClient Build(IServiceProvider services)
    {
        bool interactive = services.GetService<InteractiveLlmBudget>() is not null;
        ILlmClient client = services.GetRequiredService<LlmClient>();
        for (int i = _layers.Count - 1; i >= 0; i--)
        {
            if (!(interactive && _layers[i].PipelineOnly))
            {
                client = _layers[i].Wrap(client, services);
            }
        }

        return client;
    }
}
