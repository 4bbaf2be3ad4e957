using System.Collections.Concurrent;
using System.Text.Json;
using ReplyDrafter.Llm;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Processing;

/// <summary>A hand-written <see cref="ILlmClient"/> at the LLM seam: answers each step from a script, records what was asked.</summary>
internal sealed class FakeLlmClient : ILlmClient
{
    public ConcurrentQueue<LlmRequest> Requests { get; } = new();

    /// <summary>The answer (JSON) for a request; throw an <see cref="LlmException"/> to fail it. Default: the canned note and draft.</summary>
    public Func<LlmRequest, string> Answer { get; set; } = request => request.Step switch
    {
        "thread-note" => FakeLlmServer.CannedNote(replyNeeded: true),
        "draft-reply" => FakeLlmServer.CannedDraft(),
        _ => throw new InvalidOperationException("unexpected step " + request.Step),
    };

    public ProviderInfo Provider { get; } = new("fake", "127.0.0.1", "fake-model", null, new Dictionary<string, string>());

    public Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var text = Answer(request);
        using var document = JsonDocument.Parse(text);
        return Task.FromResult(new LlmResponse(
            text, document.RootElement.Clone(), "stop", null, "fake-model", new LlmUsage(10, 5, 15), TimeSpan.FromMilliseconds(1), 1, null,
            new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero)));
    }

    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
