using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Hosting;

/// <summary>The checks <c>init</c> runs before it saves: does the model answer (the mailbox: <see cref="Imap.ImapLoginProbe"/>).</summary>
internal static class ConnectionChecks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The models a local Ollama has pulled (<c>/api/tags</c>); empty when it does not answer.</summary>
    /// <remarks>
    /// The same patience as the other checks: a refused connection returns at once, and a busy machine or an Ollama on
    /// another host may take seconds to answer (3 s proved too short while other work ran).
    /// </remarks>
    public static async Task<IReadOnlyList<string>> OllamaModelsAsync(Uri ollama, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            var tags = await http.GetFromJsonAsync<OllamaTags>(new Uri(ollama, "/api/tags"), cancellationToken);
            return tags?.Models?.Select(m => m.Name).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!).ToList() ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Through the project's own client and its probe: null when the model answers, else why not.</summary>
    public static async Task<string?> ProbeLlmAsync(LlmOptions options, CancellationToken cancellationToken)
    {
        options.AttemptTimeout = Timeout;
        if (LlmOptionsValidator.Check(options).FirstOrDefault() is { } invalid)
        {
            return invalid;
        }

        await using var services = new ServiceCollection().AddLogging().AddSingleton(Options.Create(options)).AddLlmClient().BuildServiceProvider();
        return await services.GetRequiredService<LlmProbe>().ProbeAsync(cancellationToken);
    }

    private sealed record OllamaTags([property: JsonPropertyName("models")] IReadOnlyList<OllamaModel>? Models);

    private sealed record OllamaModel([property: JsonPropertyName("name")] string? Name);
}
