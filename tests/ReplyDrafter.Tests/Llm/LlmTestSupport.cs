using System.Collections.Concurrent;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.Llm;

/// <summary>Shared bits for the Llm tests: the shipped templates, ready-made requests, a log sink.</summary>
internal static class LlmTestSupport
{
    /// <summary>The shipped prompts folder, as copied beside the test assembly by the app's project.</summary>
    public static string PromptsFolder => Path.Combine(AppContext.BaseDirectory, "prompts");

    public static PromptTemplate ShippedTemplate(string step) => PromptTemplate.Load(Path.Combine(PromptsFolder, step + ".prompty"));

    public static Dictionary<string, string> NoteVariables(string thread = "From: Alice Example <alice@example.com>\nTo: Me <me@example.com>\nDate: 2026-01-05\n\nCan you send the revised budget by Friday?") => new()
    {
        ["me_name"] = "Pat Me",
        ["me_email"] = "me@example.com",
        ["today"] = "2026-01-05",
        ["subject"] = "Budget",
        ["participants"] = "Alice Example <alice@example.com>\nPat Me <me@example.com>",
        ["known_people"] = "Alice Example",
        ["source_kind"] = "email",
        ["thread"] = thread,
    };

    public static Dictionary<string, string> DraftVariables() => new()
    {
        ["me_name"] = "Pat Me",
        ["me_style"] = "Brief.",
        ["today"] = "2026-01-05",
        ["subject"] = "Budget",
        ["recipient_name"] = "Alice Example",
        ["note_summary"] = "Alice wants the budget.",
        ["urgency"] = "high",
        ["urgency_reason"] = "Deadline Friday.",
        ["thread"] = "From: Alice Example <alice@example.com>\n\nBudget by Friday?",
        ["style_examples"] = "",
        ["style_example_ids"] = "",
    };

    public static LlmRequest NoteRequest(LlmOptions options) =>
        ShippedTemplate("thread-note").Prepare("thread-note", "prompts/thread-note.prompty", NoteVariables(), options, ["<m1@example.com>"]);

    public static LlmRequest DraftRequest(LlmOptions options) =>
        ShippedTemplate("draft-reply").Prepare("draft-reply", "prompts/draft-reply.prompty", DraftVariables(), options, ["<m1@example.com>"]);
}

/// <summary>
/// The LLM client wired as the program wires it (<see cref="LlmServiceCollectionExtensions.AddLlmClient"/>), with the
/// test's options, clock, log and (for Entra ID) credential at the seams.
/// </summary>
internal sealed class TestLlm : IDisposable
{
    private readonly ServiceProvider _services;

    public TestLlm(LlmOptions options, TimeProvider? time = null, ListLogger<LlmClient>? logger = null, TokenCredential? credential = null)
    {
        Logger = logger ?? new ListLogger<LlmClient>();
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ILogger<LlmClient>>(Logger);
        services.AddSingleton(typeof(ILogger<>), typeof(ListLogger<>));
        services.AddLogging();
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }

        services.AddLlmClient();
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<LlmClient>();
        Limits = _services.GetRequiredService<ProviderRateLimits>();
    }

    public LlmClient Client { get; }

    public ProviderRateLimits Limits { get; }

    public ListLogger<LlmClient> Logger { get; }

    public void Dispose() => _services.Dispose();

    /// <summary>
    /// Moves the fake clock in small steps until <paramref name="work"/> is done: paced and retried calls wait on it. The
    /// clock stands still while a request is on the wire (sent, answer not yet learnt from), so a trip over loopback,
    /// however slow on a loaded machine, takes no time on the clock that both the client and the fake server read.
    /// </summary>
    public async Task<T> DriveAsync<T>(FakeTimeProvider time, Task<T> work, TimeSpan step)
    {
        for (int i = 0; i < 100_000 && !work.IsCompleted; i++)
        {
            if (Limits.OnTheWire == 0)
            {
                time.Advance(step);
            }

            await Task.Delay(1);
        }

        return await work;
    }
}

/// <summary>Entra ID at the seam: hands out a fixed token and remembers what it was asked for.</summary>
internal sealed class FakeTokenCredential : TokenCredential
{
    public const string Token = "entra-fake-token-42";

    public ConcurrentQueue<string[]> Requests { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests.Enqueue(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>Keeps every log entry with its structured values.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    private readonly List<(Func<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State), bool> Match, TaskCompletionSource Seen)> _waiters = [];

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];
        var entry = (logLevel, formatter(state, exception), values);
        lock (_waiters)
        {
            Entries.Enqueue(entry);
            foreach (var waiter in _waiters.Where(w => w.Match(entry)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }

    /// <summary>Completes when an entry matching <paramref name="match"/> has been logged (already, or later).</summary>
    public Task WaitForAsync(Func<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State), bool> match)
    {
        lock (_waiters)
        {
            if (Entries.Any(match))
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
