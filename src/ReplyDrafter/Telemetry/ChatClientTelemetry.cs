using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Telemetry;

/// <summary>
/// GenAI spans and metrics (<c>gen_ai.*</c>: operation, model, token usage) for every LLM call, through
/// Microsoft.Extensions.AI's OpenTelemetry chat client. Prompts and answers stay out unless
/// <c>ReplyDrafter:Telemetry:IncludeContent</c> is true.
/// </summary>
/// <remarks>
/// No logger: the OpenTelemetry chat client would log every failed attempt at Warning with its stack trace and the
/// provider's error message (which may quote the prompt), retried or not. <see cref="Llm.LlmClient"/> logs one line per
/// retried fault instead; the exception is on the span.
/// </remarks>
internal sealed class ChatClientTelemetry(IOptions<TelemetryOptions> options)
{
    /// <summary>Adds the telemetry layer to a chat client's builder (see <see cref="Llm.ChatClientFactory"/>).</summary>
    public ChatClientBuilder Use(ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseOpenTelemetry(loggerFactory: null, ReplyDrafterTelemetry.LlmSourceName, client => client.EnableSensitiveData = options.Value.IncludeContent);
    }

    /// <summary>Wraps a chat client; the caller owns the result (disposing it disposes <paramref name="inner"/>).</summary>
    public IChatClient Wrap(IChatClient inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return Use(inner.AsBuilder()).Build();
    }
}
