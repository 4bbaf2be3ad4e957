using System.Text.Json;

namespace ReplyDrafter.Llm;

/// <summary>A parsed <c>prompts/&lt;step&gt;.prompty</c> file (Prompty convention: YAML frontmatter, role sections).</summary>
internal sealed class PromptTemplate
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Absolute path of the file.</summary>
    public required string FilePath { get; init; }

    /// <summary>SHA-256 (lowercase hex) of the file's text.</summary>
    public required string Sha256 { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxOutputTokens { get; init; }

    public long? Seed { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required JsonElement OutputSchema { get; init; }

    /// <summary>Loads and checks a template; a malformed file gives a message naming the file and what is wrong.</summary>
    public static PromptTemplate Load(string path) => throw new NotImplementedException();

    /// <summary>
    /// Builds the request. Variables are substituted after the role sections are split, so their text can never open a
    /// role section; untrusted values are delimited as data. <paramref name="displayPath"/> is what the record shows.
    /// </summary>
    public LlmRequest Prepare(
        string step,
        string displayPath,
        IReadOnlyDictionary<string, string> variables,
        LlmOptions options,
        IReadOnlyList<string> messageIds) => throw new NotImplementedException();
}
