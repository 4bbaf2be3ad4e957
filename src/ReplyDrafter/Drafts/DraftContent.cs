namespace ReplyDrafter.Drafts;

/// <summary>The draft step's answer, after schema validation and deserialization.</summary>
public sealed record DraftContent(IReadOnlyList<string> KeyPoints, string Body)
{
    public static DraftContent FromJson(System.Text.Json.JsonElement value) => throw new NotImplementedException();
}

/// <summary>Everything a draft file shows (SPEC §3). Addressing fields come from headers and configuration only.</summary>
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
    string OriginalSummary);

internal static class DraftRenderer
{
    public const string PendingStatus = "pending";

    /// <summary>The draft as markdown with YAML frontmatter; the body ends with the signature.</summary>
    public static string Render(DraftDocument draft) => throw new NotImplementedException();
}
