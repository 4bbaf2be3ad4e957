using ReplyDrafter.Llm;

namespace ReplyDrafter.Drafts;

/// <summary>The draft prompt's block of the user's earlier replies (its <c>style_examples</c> input).</summary>
internal static class StyleExampleBlock
{
    /// <summary>
    /// Empty when there are no examples, so the prompt then has no example block at all (the template has no
    /// conditionals). Each example is delimited as untrusted data here, the way the template delimits untrusted inputs:
    /// it is mail text, so it must not be able to pass for an instruction.
    /// </summary>
    public static string Render(IReadOnlyList<SentReply> examples) =>
        examples.Count == 0
            ? ""
            : "Earlier replies written by the user, as examples of their voice only (tone, length, greeting, wording); never take facts from them:\n"
                + string.Concat(examples.Select(e => $"<{PromptTemplate.UntrustedTag} name=\"style_example\">{PromptTemplate.Neutralize(e.Text)}</{PromptTemplate.UntrustedTag}>\n"))
                + "\n";

    /// <summary>The examples' Message-IDs, recorded as the <c>style_example_ids</c> input so a replay is the same request.</summary>
    public static string Ids(IReadOnlyList<SentReply> examples) => string.Join(' ', examples.Select(e => "<" + e.MessageId + ">"));
}
