using ReplyDrafter.Mail;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Steps;

/// <summary>
/// One thread as its stages see it: what ingest stored (the messages, or a transcript), and what earlier stages left
/// for later ones. The stages run in registration order, so a stage may read what any stage before it set.
/// </summary>
internal sealed class ThreadRun
{
    private readonly Dictionary<Type, object> _results = [];

    public required string ThreadId { get; init; }

    public required PeopleDirectory People { get; init; }

    /// <summary>The local date the thread is processed on, one for all its stages.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>The thread's messages, oldest first; empty for a transcript.</summary>
    public IReadOnlyList<EmailMessage> Messages { get; init; } = [];

    /// <summary>Each message's vault-relative source copy, in the order of <see cref="Messages"/>.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Message-IDs proven the user's own by their origin (a <c>From:</c> the user's address alone proves nothing).</summary>
    public IReadOnlySet<string> Own { get; init; } = new HashSet<string>();

    /// <summary>The thread's subject (see <see cref="SubjectNormalizer.SubjectOrFallback"/>).</summary>
    public string Subject { get; init; } = "";

    /// <summary>The people on the messages' headers.</summary>
    public IReadOnlyList<string> HeaderPeople { get; init; } = [];

    /// <summary>The transcript this thread is made of, instead of messages.</summary>
    public TranscriptDocument? Transcript { get; init; }

    /// <summary>The transcript's source reference, as its note links it.</summary>
    public string? TranscriptSourceRef { get; init; }

    /// <summary>The thread's note (the ledger keeps it with the thread).</summary>
    public string? NotePath { get; set; }

    /// <summary>The pending draft and the Message-ID it answers: as the ledger had them, then as the stages leave them.</summary>
    public string? DraftPath { get; set; }

    /// <inheritdoc cref="DraftPath"/>
    public string? DraftFor { get; set; }

    public IReadOnlyList<string> MessageIds => Messages.Select(m => m.MessageId).ToList();

    /// <summary>Leaves a stage's result for the stages after it (one per type).</summary>
    public void Set<T>(T value)
        where T : class => _results[typeof(T)] = value;

    /// <summary>What an earlier stage left; a stage registered before the one that produces it is a wiring bug.</summary>
    public T Get<T>()
        where T : class =>
        _results.TryGetValue(typeof(T), out var value)
            ? (T)value
            : throw new InvalidOperationException($"No stage before this one produced a {typeof(T).Name}: register the stage that does first.");
}
