using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReplyDrafter.Imap;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Hosting;

/// <summary>The checks <c>init</c> runs before it saves: does the model answer, does the mailbox let us in.</summary>
internal static class ConnectionChecks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The models a local Ollama has pulled (<c>/api/tags</c>); empty when it does not answer.</summary>
    public static async Task<IReadOnlyList<string>> OllamaModelsAsync(Uri ollama, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
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

    /// <summary>
    /// Connect and log in through the daemon's own <see cref="ImapConnector"/> (same certificate validation and pin, same
    /// login messages); <see cref="ImapProbe.Works"/> when it did, else why not.
    /// </summary>
    public static async Task<ImapProbe> ProbeImapAsync(ImapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = await new ImapConnector(Options.Create(options)).ConnectAsync(timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return ImapProbe.Works;
        }
        catch (ImapLoginException e)
        {
            return new ImapProbe(e.Message, CertificateRefused: e.Failure == ImapLoginFailure.Certificate);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ImapProbe($"{options.Host}:{options.EffectivePort} did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ImapProtocolException or ImapCommandException or NotSupportedException)
        {
            return new ImapProbe($"cannot reach {options.Host}:{options.EffectivePort} ({e.Message.ReplaceLineEndings(" ")}).");
        }
    }

    private sealed record OllamaTags([property: JsonPropertyName("models")] IReadOnlyList<OllamaModel>? Models);

    private sealed record OllamaModel([property: JsonPropertyName("name")] string? Name);
}

/// <summary>What <c>init</c>'s IMAP check found: <see cref="Problem"/> is null when the login worked.</summary>
/// <param name="CertificateRefused">The server's certificate is not trusted (nor the pinned one): a pin may fix it.</param>
internal sealed record ImapProbe(string? Problem, bool CertificateRefused = false)
{
    public static readonly ImapProbe Works = new(Problem: null);
}
