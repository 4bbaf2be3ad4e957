using System.Text.Json;
using ReplyDrafter.Notes;

namespace ReplyDrafter.Drafts;

/// <summary>The draft step's answer, after schema validation and deserialization.</summary>
public sealed record DraftContent(IReadOnlyList<string> KeyPoints, string Body)
{
    /// <summary>Reads <c>{ key_points: [string], body: string }</c>; <see cref="FormatException"/> when the body is missing or a value has the wrong type.</summary>
    public static DraftContent FromJson(JsonElement value)
    {
        var answer = AnswerJson.Read(value, AnswerJsonContext.Default.DraftAnswer, "draft");
        return new DraftContent(AnswerJson.Strings(answer.KeyPoints), AnswerJson.Required(answer.Body, "draft.body"));
    }
}

/// <summary>Everything a draft file shows (SPEC §3). Addressing fields come from headers and configuration only.</summary>
/// <param name="Status">The frontmatter <c>status</c>: "pending" for a draft awaiting review; a replay writes "replay" so it never counts as one;
/// once the user replied (or did not), its outcome: sent, edited, rewritten or ignored.</param>
/// <param name="SentSimilarity">How much of the draft survived into the reply the user sent (0–1), once paired.</param>
/// <param name="SentAt">When the user's reply was sent, once paired.</param>
public sealed record DraftDocument(
    DateTimeOffset Created,
    string Urgency,
    string To,
    IReadOnlyList<string> Cc,
    string Subject,
    string InReplyTo,
    string SourceFile,
    string ThreadNote,
    string AiModel,
    double? AiTemperature,
    string PromptFile,
    string RecipientName,
    string Regarding,
    DraftContent Content,
    string Signature,
    string OriginalSummary,
    string Status = DraftRenderer.PendingStatus,
    double? SentSimilarity = null,
    DateTimeOffset? SentAt = null);
