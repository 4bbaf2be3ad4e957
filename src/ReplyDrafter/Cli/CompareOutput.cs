using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReplyDrafter.Compare;

namespace ReplyDrafter.Cli;

/// <summary><c>compare</c>'s table for people and its JSON for scripts. Neither holds mail text.</summary>
internal static class CompareOutput
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteTable(TextWriter output, CompareResult result)
    {
        var c = result.Candidate;
        output.WriteLine(Invariant($"Compared {result.Drafts.Count} draft(s) created since {result.Since:yyyy-MM-dd} whose outcome is known: as drafted vs {Describe(c)}"));
        if (result.Drafts.Count > 0)
        {
            int width = Math.Clamp(result.Drafts.Max(d => ReplayDiff.Printable(d.DraftPath).Length), 5, 70);
            output.WriteLine();
            output.WriteLine($"{"draft".PadRight(width)}  original  candidate      diff");
            foreach (var draft in result.Drafts)
            {
                output.WriteLine(Invariant($"{Cut(ReplayDiff.Printable(draft.DraftPath), width).PadRight(width)}  {draft.Original.Similarity,8:0.0000}  {draft.Candidate.Similarity,9:0.0000}  {DifferenceInterval.Signed(draft.Difference),8}{(draft.Cached ? "  (cached)" : "")}"));
            }

            output.WriteLine();
            WriteSummary(output, result.Original, result.CandidateSide);
            output.WriteLine();
            output.WriteLine(result.Difference.Reading());
        }

        foreach (var skipped in result.Skipped)
        {
            output.WriteLine($"Skipped {ReplayDiff.Printable(skipped.DraftPath)}: {skipped.Reason}");
        }

        if (result.Pending > 0)
        {
            output.WriteLine(Invariant($"{(result.Interrupted ? "Stopped" : "Not finished")}: {result.Pending} draft(s) not compared yet; run the same command again to go on (the candidates made so far are kept)."));
        }
    }

    public static void WriteJson(TextWriter output, CompareResult result)
    {
        var d = result.Difference;
        var json = new JsonObject
        {
            ["since"] = result.Since,
            ["candidate"] = new JsonObject
            {
                ["model"] = result.Candidate.Model,
                ["provider"] = result.Candidate.Provider,
                ["endpoint_host"] = result.Candidate.EndpointHost,
                ["temperature"] = result.Candidate.Temperature,
                ["prompts"] = result.Candidate.Prompts,
                ["template_sha256"] = result.Candidate.TemplateSha256,
            },
            ["drafts"] = new JsonArray([.. result.Drafts.Select(draft => (JsonNode)new JsonObject
            {
                ["draft"] = draft.DraftPath,
                ["record"] = draft.RecordPath,
                ["created"] = draft.CreatedAt,
                ["original_similarity"] = draft.Original.Similarity,
                ["candidate_similarity"] = draft.Candidate.Similarity,
                ["difference"] = Math.Round(draft.Difference, 4),
                ["cached"] = draft.Cached,
            })]),
            ["original"] = Summary(result.Original),
            ["candidate_summary"] = Summary(result.CandidateSide),
            ["difference"] = new JsonObject
            {
                ["mean"] = d.Mean,
                ["low"] = d.Low,
                ["high"] = d.High,
                ["confidence"] = d.Confidence,
                ["excludes_zero"] = d.ExcludesZero,
                ["method"] = "paired percentile bootstrap of the mean difference",
                ["resamples"] = d.Resamples,
                ["seed"] = d.Seed,
            },
            ["skipped"] = new JsonArray([.. result.Skipped.Select(s => (JsonNode)new JsonObject { ["draft"] = s.DraftPath, ["reason"] = s.Reason })]),
            ["pending"] = result.Pending,
            ["interrupted"] = result.Interrupted,
        };
        output.WriteLine(json.ToJsonString(s_json));
    }

    private static void WriteSummary(TextWriter output, SideSummary original, SideSummary candidate)
    {
        output.WriteLine($"{"",-22}{"original",12}{"candidate",12}");
        foreach (var (label, a, b) in SummaryRows.Of(original, candidate))
        {
            output.WriteLine($"{label,-22}{a,12}{b,12}");
        }
    }

    private static JsonObject Summary(SideSummary s) => new()
    {
        ["drafts"] = s.Drafts,
        ["mean_similarity"] = s.MeanSimilarity,
        ["median_similarity"] = s.MedianSimilarity,
        ["sent_share"] = s.SentShare,
        ["edited_share"] = s.EditedShare,
        ["rewritten_share"] = s.RewrittenShare,
        ["calls"] = s.Calls,
        ["input_tokens"] = s.InputTokens,
        ["output_tokens"] = s.OutputTokens,
        ["estimated_cost"] = s.Cost,
    };

    private static string Describe(CandidateDescription c) =>
        ReplayDiff.Printable(c.Model) + Invariant($" ({ReplayDiff.Printable(c.Provider)} at {ReplayDiff.Printable(c.EndpointHost)}")
        + (c.Temperature is { } t ? Invariant($", temperature {t}") : ", recorded temperature")
        + (c.Prompts is { } p ? $", prompts from {ReplayDiff.Printable(p)}" : "") + ")";

    private static string Cut(string text, int width) => text.Length <= width ? text : "…" + text[^(width - 1)..];

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
