namespace ReplyDrafter.Llm;

/// <summary>
/// The saved record of one LLM call (<c>Outbox/_prompts/*.prompt.json</c>): enough to send the same request again and
/// to tell whether the answer changed. It holds mail content; it never holds a secret.
/// </summary>
internal static class PromptRecord
{
    public const int FormatVersion = 1;

    /// <summary>Serializes the record as indented JSON.</summary>
    public static string ToJson(LlmRequest request, LlmResponse response, ProviderInfo provider, IReadOnlyList<string> producedFiles) =>
        throw new NotImplementedException();

    /// <summary>Reads a record back into the request it describes (for replay). Throws <see cref="FormatException"/> for a foreign or corrupt file.</summary>
    public static (LlmRequest Request, LlmResponse Response, ProviderInfo Provider, IReadOnlyList<string> ProducedFiles) Parse(string json) =>
        throw new NotImplementedException();
}
