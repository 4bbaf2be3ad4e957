using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReplyDrafter.Llm;
using ReplyDrafter.Security;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Compare;

/// <summary>A candidate draft made by an earlier run: its body as the model wrote it, and what it cost.</summary>
internal sealed record CachedCandidate(string Body, LlmUsage Usage, int Calls);

/// <summary>
/// The candidate drafts already made, one private file each under <c>.replydrafter/compare/</c>, so a second run
/// (after Ctrl-C, or with more drafts in the window) sends only what is new. Keyed by the exact candidate request
/// (the record's messages as re-rendered, model, every option) and the provider it goes to: change any of them and
/// the old answer no longer counts. Each file is written whole (temp file, then rename), so a run stopped at any
/// moment leaves only complete entries; an entry that does not read is treated as missing and made again.
/// </summary>
internal sealed class CandidateCache(string folder)
{
    private const string FormatName = "replydrafter-compare-candidate";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Folder => folder;

    /// <summary>The key of a candidate request sent to <paramref name="provider"/>: SHA-256 over everything that shapes the answer.</summary>
    public static string Key(LlmRequest request, ProviderInfo provider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        var s = request.Settings;
        var identity = new JsonObject
        {
            ["provider"] = provider.Provider,
            ["endpoint_host"] = provider.EndpointHost,
            ["api_version"] = provider.ApiVersion,
            ["model"] = s.Model,
            ["temperature"] = s.Temperature,
            ["top_p"] = s.TopP,
            ["max_output_tokens"] = s.MaxOutputTokens,
            ["seed"] = s.Seed,
            ["schema_name"] = s.SchemaName,
            ["schema"] = s.OutputSchema.GetRawText(),
            ["messages"] = new JsonArray([.. request.Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })]),
        };
        return Hashing.Sha256(identity.ToJsonString());
    }

    public CachedCandidate? Find(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var entry = JsonNode.Parse(File.ReadAllText(path))?.AsObject();
            if (entry is null || (string?)entry["format"] != FormatName || (int?)entry["version"] != FormatVersion || (string?)entry["key"] != key)
            {
                return null;
            }

            if (entry["usage"] is not JsonObject usage || (string?)entry["body"] is not { } body)
            {
                return null;
            }

            return new CachedCandidate(
                body,
                new LlmUsage((long?)usage["input_tokens"], (long?)usage["output_tokens"], (long?)usage["total_tokens"], (long?)usage["cached_input_tokens"]),
                (int?)entry["calls"] ?? 1);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or IOException)
        {
            // Damaged or foreign: made again and overwritten.
            return null;
        }
    }

    public void Save(string key, string recordPath, string model, DateTimeOffset made, CachedCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        PrivateFiles.CreateFolder(folder);
        var entry = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = FormatVersion,
            ["key"] = key,
            ["record"] = recordPath,
            ["model"] = model,
            ["made"] = made.ToString("O", CultureInfo.InvariantCulture),
            ["body"] = candidate.Body,
            ["calls"] = candidate.Calls,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = candidate.Usage.InputTokens,
                ["output_tokens"] = candidate.Usage.OutputTokens,
                ["total_tokens"] = candidate.Usage.TotalTokens,
                ["cached_input_tokens"] = candidate.Usage.CachedInputTokens,
            },
        };
        AtomicFile.WriteAllText(PathOf(key), entry.ToJsonString(Indented) + "\n", unixMode: PrivateFiles.PrivateFileMode);
    }

    private string PathOf(string key) => Path.Combine(folder, key.ToLowerInvariant() + ".json");
}
