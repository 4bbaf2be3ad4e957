using System.Text.Json.Nodes;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Steps;

/// <summary>
/// Writes a step's file with its prompt record (the request, the answer, the document and the file's hash), for the
/// pipeline and for <c>replay</c> alike. The pipeline's files are owned through the ledger; a replay only ever adds new
/// files and never touches the ledger.
/// </summary>
internal sealed class StepWriter(OwnedFiles files, VaultLayout layout)
{
    /// <summary>Claims a step's output path (see <see cref="OwnedFiles.Claim"/>) and its record's path in one commit.</summary>
    public string Claim(string ownerKey, string kind, string folder, string stem, string extension)
    {
        string path = "";
        files.InOneCommit(() =>
        {
            path = files.Claim(ownerKey, kind, folder, stem, extension);
            files.ClaimExact(RecordPathFor(path), "record:" + path, "prompt-record");
        });
        return path;
    }

    /// <summary><c>Outbox/_prompts/&lt;same stem&gt;.prompt.json</c> for a note or draft path.</summary>
    public string RecordPathFor(string producedPath) =>
        layout.Relative(Path.Combine(layout.PromptRecords, Path.GetFileNameWithoutExtension(producedPath) + ".prompt.json"));

    /// <summary>The pipeline's write: a claimed, ledger-owned path and its record beside it (claimed first, so a crash leaves claims to reuse).</summary>
    public void Write(string path, StepFile file, LlmRequest request, LlmResponse response, ProviderInfo provider)
    {
        var recordPath = RecordPathFor(path);
        if (!files.IsClaimedBy(recordPath, "record:" + path))
        {
            files.ClaimExact(recordPath, "record:" + path, "prompt-record");
        }

        files.WriteAll([(path, file.Markdown), (recordPath, Record(path, file, request, response, provider, replay: null))]);
    }

    /// <summary>
    /// A replay's write: the first free <c>stem[-N]</c> in <paramref name="folder"/> whose record name is free too; never
    /// overwrites. <paramref name="render"/> gets the new record's vault-relative path (the file names it).
    /// </summary>
    public (string Path, string RecordPath) WriteNew(
        string folder, string stem, string extension, Func<string, StepFile> render, LlmRequest request, LlmResponse response, ProviderInfo provider, JsonObject replay)
    {
        var outputFile = VaultPath.Unique(folder, stem, extension, int.MaxValue, candidate => File.Exists(layout.Absolute(RecordPathFor(candidate))));
        var (path, recordPath) = (layout.Relative(outputFile), RecordPathFor(outputFile));
        var file = render(recordPath);
        AtomicFile.WriteAllText(outputFile, file.Markdown, overwrite: false);
        try
        {
            AtomicFile.WriteAllText(layout.Absolute(recordPath), Record(path, file, request, response, provider, replay), overwrite: false, unixMode: Security.PrivateFiles.PrivateFileMode);
        }
        catch
        {
            File.Delete(outputFile);
            throw;
        }

        return (path, recordPath);
    }

    private static string Record(string path, StepFile file, LlmRequest request, LlmResponse response, ProviderInfo provider, JsonObject? replay) =>
        PromptRecord.ToJson(
            request, response, provider, [path], file.Document, new Dictionary<string, string>(StringComparer.Ordinal) { [path] = Hashing.Sha256(file.Markdown) }, replay);
}
