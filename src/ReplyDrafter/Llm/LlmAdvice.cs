using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>The user-facing words about the endpoint: where it is (never a secret) and what to do when it is not there.</summary>
internal sealed class LlmAdvice
{
    private readonly Uri _endpoint;
    private readonly string _deployment;

    public LlmAdvice(IOptions<LlmOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = new Uri(options.Value.Endpoint);
        _deployment = options.Value.Deployment;
    }

    /// <summary>The endpoint as users configured it, minus anything that could carry a secret (user info, query).</summary>
    public string EndpointDisplay => Security.Redaction.Url(_endpoint.OriginalString).TrimEnd('/');

    public string EndpointHost => _endpoint.IsDefaultPort ? _endpoint.Host : $"{_endpoint.Host}:{_endpoint.Port}";

    /// <summary>Ollama's own port on this machine: the default, where the advice can name the commands.</summary>
    /// <summary>Ollama's default port: a local endpoint there gets Ollama's advice.</summary>
    public const int OllamaPort = 11434;

    public bool IsOllama => IsLocal && _endpoint.Port == OllamaPort;

    public bool IsLocal => _endpoint.IsLoopback;

    public string Unreachable(string why) =>
        $"The LLM at {EndpointDisplay} is not reachable ({why}). " + (IsOllama
            ? $"Start Ollama (`ollama serve`, then `ollama pull {_deployment}`) or configure Azure OpenAI (ReplyDrafter:Llm:Provider/Endpoint/Deployment/ApiKey)."
            : IsLocal
                ? "Start the model server there, or point ReplyDrafter:Llm:Endpoint at a running one."
                : "Check ReplyDrafter:Llm:Endpoint and the network; waiting items are tried again later.");

    /// <summary>Ollama lists exactly the models it can serve; null when the configured one is among them.</summary>
    public string? MissingModel(string modelList)
    {
        try
        {
            using var document = JsonDocument.Parse(modelList);
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>().ToList();
            return ids.Contains(_deployment, StringComparer.Ordinal)
                ? null
                : $"The LLM at {EndpointDisplay} answers but has no model '{_deployment}' (it has: {(ids.Count == 0 ? "none" : string.Join(", ", ids))}). Run `ollama pull {_deployment}` or set ReplyDrafter:Llm:Deployment.";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
