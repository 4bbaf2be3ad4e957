using System.Text.Json;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Drafts;

/// <summary>The draft reply: <c>prompts/draft-reply.prompty</c>, answered as <see cref="DraftContent"/>, written to Outbox/.</summary>
internal sealed class DraftStep(StepCaller caller) : ThreadStep<DraftContent, DraftDocument>(caller)
{
    public const string StepName = "draft-reply";

    /// <summary>The <c>status</c> of a replayed draft: it is for comparing, never a draft awaiting review.</summary>
    public const string ReplayStatus = "replay";

    public override string Name => StepName;

    public override string Folder(VaultLayout layout) => layout.Outbox;

    public override DraftContent ReadAnswer(JsonElement answer) => DraftContent.FromJson(answer);

    public override string Render(DraftDocument document) => DraftRenderer.Render(document);

    protected override DraftDocument WithAnswer(DraftDocument recorded, DraftContent answer, ReplayContext context) => recorded with
    {
        Content = answer,
        Created = context.Now,
        AiModel = context.Settings.Model,
        AiTemperature = context.Settings.Temperature,
        PromptFile = context.PromptFile,
        Status = ReplayStatus,
        SentSimilarity = null,
        SentAt = null,
    };
}
