using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
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
    };

    public static LlmRequest NoteRequest(LlmOptions options) =>
        ShippedTemplate("thread-note").Prepare("thread-note", "prompts/thread-note.prompty", NoteVariables(), options, ["<m1@example.com>"]);

    public static LlmRequest DraftRequest(LlmOptions options) =>
        ShippedTemplate("draft-reply").Prepare("draft-reply", "prompts/draft-reply.prompty", DraftVariables(), options, ["<m1@example.com>"]);
}

/// <summary>Keeps every log entry with its structured values.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
}

/// <summary>A folder under the temp directory that is removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rd-llm-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder harms nobody.
        }
    }
}
