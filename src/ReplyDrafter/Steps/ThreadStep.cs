using System.Text.Json;
using System.Text.Json.Nodes;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Steps;

/// <summary>A step with a typed answer and a typed document; the base asks the model and renders, the step says how.</summary>
internal abstract class ThreadStep<TAnswer, TDocument>(StepCaller caller) : IThreadStep
    where TDocument : class
{
    public abstract string Name { get; }

    public abstract string Folder(VaultLayout layout);

    public abstract Task RunAsync(ThreadRun thread, CancellationToken cancellationToken);

    /// <summary>Where the calls go, for the prompt record.</summary>
    protected ProviderInfo Provider => caller.Provider;

    /// <summary>Reads the schema-checked answer; <see cref="FormatException"/> when a value is out of range.</summary>
    public abstract TAnswer ReadAnswer(JsonElement answer);

    public abstract string Render(TDocument document);

    /// <summary>The recorded document with a new answer, as <c>replay</c> writes it.</summary>
    protected abstract TDocument WithAnswer(TDocument recorded, TAnswer answer, ReplayContext context);

    /// <summary>Sends the step's template with these variables (shrinking the thread once when it is too long) and reads the answer.</summary>
    /// <param name="variables">The template's variables for a given maximum thread length in characters.</param>
    public async Task<StepAnswer<TAnswer>> AskAsync(IReadOnlyList<string> messageIds, Func<int, Dictionary<string, string>> variables, CancellationToken cancellationToken)
    {
        var (request, response) = await caller.AskAsync(Name, messageIds, variables, cancellationToken);
        return new StepAnswer<TAnswer>(request, response, ReadAnswer(response.Value));
    }

    public StepFile File(TDocument document) => new(Render(document), PromptRecord.DocumentToJson(document));

    public StepFile RenderRecorded(JsonNode recordedDocument) => File(PromptRecord.DocumentFromJson<TDocument>(recordedDocument));

    public StepFile Rerender(JsonNode recordedDocument, JsonElement answer, ReplayContext context) =>
        File(WithAnswer(PromptRecord.DocumentFromJson<TDocument>(recordedDocument), ReadAnswer(answer), context));
}
