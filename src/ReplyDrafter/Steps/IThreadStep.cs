using System.Text.Json;
using System.Text.Json.Nodes;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Steps;

/// <summary>
/// One LLM stage of thread processing (the thread note, the draft reply, ...): it knows its prompt template (named like
/// the step) and the variables it fills in, how to read its answer and how the answer becomes a file. Registered in DI
/// as <see cref="IThreadStep"/> (see <see cref="StepServiceCollectionExtensions.AddThreadStep"/>): the pipeline runs
/// every step in registration order, and <c>replay</c> finds a record's step by name, neither naming a concrete step.
/// </summary>
internal interface IThreadStep
{
    /// <summary>The step's name: its prompt template's name and the <c>step</c> of its prompt records.</summary>
    string Name { get; }

    /// <summary>Runs the step on one thread of the pipeline: asks the model with its own variables, writes its file.</summary>
    /// <remarks>A step that does not apply to the thread (a draft for a transcript) returns without a call.</remarks>
    Task RunAsync(ThreadRun thread, CancellationToken cancellationToken);

    /// <summary>Where this step's files go when a record names no usable place.</summary>
    string Folder(VaultLayout layout);

    /// <summary>Renders a recorded document as it was; <see cref="FormatException"/> when the document does not fit this step.</summary>
    StepFile RenderRecorded(JsonNode recordedDocument);

    /// <summary>Renders a recorded document with a new answer, as <c>replay</c> writes it; <see cref="FormatException"/> when the document or the answer does not fit.</summary>
    StepFile Rerender(JsonNode recordedDocument, JsonElement answer, ReplayContext context);
}

/// <summary>A step's file: its markdown and the document it was rendered from (kept in the prompt record).</summary>
internal sealed record StepFile(string Markdown, JsonNode Document);

/// <summary>What a replay knows beyond the recorded document.</summary>
/// <param name="PromptFile">Vault-relative path of the replay's own prompt record.</param>
/// <param name="People">The vault's people directory, loaded only when a step needs it.</param>
internal sealed record ReplayContext(LlmSettings Settings, string PromptFile, DateTimeOffset Now, Func<PeopleDirectory> People);

/// <summary>A step's validated answer with the request and response it came from.</summary>
internal sealed record StepAnswer<TAnswer>(LlmRequest Request, LlmResponse Response, TAnswer Value);
