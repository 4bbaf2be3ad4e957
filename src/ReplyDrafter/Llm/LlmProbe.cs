using System.ClientModel;
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>The start-up and <c>status</c> check: does the configured model answer? Null when it does, else why not, with advice.</summary>
internal sealed class LlmProbe(IOptions<LlmOptions> options, ChatClientFactory chats, LlmAdvice advice)
{
    private readonly LlmOptions _options = options.Value;

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AttemptTimeout);
        try
        {
            if (_options.Provider == LlmProvider.OpenAI)
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, advice.EndpointDisplay + "/models");
                if (!string.IsNullOrEmpty(_options.ApiKey))
                {
                    probe.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
                }

                using var answer = await chats.HttpClient.SendAsync(probe, timeout.Token);
                return !answer.IsSuccessStatusCode
                    ? $"{advice.EndpointDisplay}/models answered HTTP {(int)answer.StatusCode}."
                    : advice.IsOllama ? advice.MissingModel(await answer.Content.ReadAsStringAsync(timeout.Token)) : null;
            }

            // Azure has no cheap model listing per deployment: one token from the deployment itself.
            var ping = new ChatOptions { MaxOutputTokens = 1, ModelId = _options.Deployment };
            _ = await chats.For(_options.Deployment).GetResponseAsync([new ChatMessage(ChatRole.User, "ping")], ping, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return advice.Unreachable($"no answer within {_options.AttemptTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or IOException)
        {
            return advice.Unreachable(LlmFaults.Describe(e));
        }
    }
}
