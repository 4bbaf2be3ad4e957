using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ReplyDrafter.Llm;

/// <summary>
/// Runs one chat call through the SDK and M.E.AI (request and structured-output serialization, the response's
/// parsing) against an answer made in this process, so the first real call does not pay for their JIT. Nothing leaves
/// the machine and nothing is billed; the connection to the provider is opened by <see cref="LlmProbe"/> at start.
/// </summary>
internal static class LlmWarmup
{
    private const string Answer = """
        {"id":"warm-up","object":"chat.completion","created":0,"model":"warm-up","choices":[{"index":0,"message":{"role":"assistant","content":"{\"ok\":true}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}
        """;

    /// <summary>One call with <paramref name="settings"/> (a step's real schema, so M.E.AI's per-format cache is filled too); its made-up answer.</summary>
    public static async Task<ChatResponse> AnswerAsync(LlmSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var http = new HttpClient(new LocalAnswer());
        var options = new OpenAIClientOptions
        {
            // Never resolved: the handler answers every request itself.
            Endpoint = new Uri("http://warm-up.invalid/v1"),
            RetryPolicy = new ClientRetryPolicy(0),
            Transport = new HttpClientPipelineTransport(http),
        };
        using var chat = new OpenAIClient(new ApiKeyCredential("warm-up"), options).GetChatClient("warm-up").AsIChatClient();
        return await chat.GetResponseAsync([new ChatMessage(ChatRole.System, "warm-up"), new ChatMessage(ChatRole.User, "warm-up")], settings.ToChatOptions(), cancellationToken);
    }

    private sealed class LocalAnswer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Read as the network would: the request body is serialized here.
            if (request.Content is not null)
            {
                _ = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            }

            var content = new StringContent(Answer, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }
}
