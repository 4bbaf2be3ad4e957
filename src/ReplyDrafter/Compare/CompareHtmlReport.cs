using System.Net;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace ReplyDrafter.Compare;

/// <summary>
/// <c>compare --report FILE.html</c>: the table, then each pair side by side against what the user sent (largest
/// difference first). One self-contained page: inline CSS, no script, and a content security policy that forbids
/// every load, so opening it fetches nothing. Everything from mail is HTML-escaped.
/// </summary>
internal static class CompareHtmlReport
{
    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .diff td{font:13px/1.35 ui-monospace,monospace;white-space:pre-wrap;width:50%}
        .Deleted,.del{background:#fdd}.Inserted,.ins{background:#dfd}.Modified{background:#ffe}.Imaginary{background:#f4f4f4}
        h3{margin-top:2em}
        """;

    public static string Render(CompareResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append("<title>ReplyDrafter compare</title><style>").Append(Style).Append("</style></head><body>\n");
        var c = result.Candidate;
        html.Append("<h1>As drafted vs ").Append(E(c.Model)).Append("</h1>\n<p>")
            .Append(E(Invariant($"{result.Drafts.Count} draft(s) created since {result.Since:yyyy-MM-dd} whose outcome is known; candidate: {c.Provider} at {c.EndpointHost}")))
            .Append(E(c.Temperature is { } t ? Invariant($", temperature {t}") : ", recorded temperature"))
            .Append(E(c.Prompts is { } p ? ", prompts from " + p : "")).Append(".</p>\n");

        html.Append("<p>").Append(E(result.Difference.Reading())).Append("</p>\n");
        Summary(html, result.Original, result.CandidateSide);

        html.Append("<table><tr><th>draft</th><th>original</th><th>candidate</th><th>difference</th></tr>\n");
        foreach (var draft in result.ByDifference())
        {
            html.Append("<tr><td><a href=\"#").Append(Anchor(draft)).Append("\">").Append(E(draft.DraftPath)).Append("</a></td>")
                .Append(Cell(draft.Original.Similarity)).Append(Cell(draft.Candidate.Similarity))
                .Append("<td class=\"n\">").Append(E(DifferenceInterval.Signed(draft.Difference))).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var draft in result.ByDifference())
        {
            html.Append("<h3 id=\"").Append(Anchor(draft)).Append("\">").Append(E(draft.DraftPath)).Append(' ')
                .Append(E(DifferenceInterval.Signed(draft.Difference))).Append("</h3>\n");
            Diff(html, "original", draft.SentText, draft.Original);
            Diff(html, "candidate", draft.SentText, draft.Candidate);
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static void Summary(StringBuilder html, SideSummary original, SideSummary candidate)
    {
        html.Append("<table><tr><th></th><th>original</th><th>candidate</th></tr>\n");
        foreach (var (label, a, b) in SummaryRows.Of(original, candidate))
        {
            html.Append("<tr><th>").Append(E(label)).Append("</th><td class=\"n\">").Append(E(a)).Append("</td><td class=\"n\">").Append(E(b)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    /// <summary>What the user sent on the left, the draft on the right, word changes marked within changed lines.</summary>
    private static void Diff(StringBuilder html, string side, string sent, DraftSide draft)
    {
        var model = SideBySideDiffBuilder.Diff(sent, draft.Text, ignoreWhiteSpace: true, ignoreCase: false);
        html.Append("<table class=\"diff\"><tr><th>sent</th><th>").Append(E(Invariant($"{side} ({draft.Similarity:0.0000})")))
            .Append("</th></tr>\n");
        for (int i = 0; i < Math.Max(model.OldText.Lines.Count, model.NewText.Lines.Count); i++)
        {
            html.Append("<tr>");
            Line(html, i < model.OldText.Lines.Count ? model.OldText.Lines[i] : null);
            Line(html, i < model.NewText.Lines.Count ? model.NewText.Lines[i] : null);
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Line(StringBuilder html, DiffPiece? line)
    {
        if (line is null)
        {
            html.Append("<td></td>");
            return;
        }

        html.Append("<td class=\"").Append(line.Type).Append("\">");
        if (line.Type == ChangeType.Modified && line.SubPieces.Count > 0)
        {
            foreach (var piece in line.SubPieces)
            {
                var css = piece.Type switch { ChangeType.Deleted => "del", ChangeType.Inserted => "ins", _ => null };
                html.Append(css is null ? "" : $"<span class=\"{css}\">").Append(E(piece.Text ?? "")).Append(css is null ? "" : "</span>");
            }
        }
        else
        {
            html.Append(E(line.Text ?? ""));
        }

        html.Append("</td>");
    }

    private static string Anchor(ComparedDraft draft) => "d" + Vault.Hashing.Sha256(draft.DraftPath)[..12];

    private static string Cell(double similarity) => "<td class=\"n\">" + SummaryRows.Number(similarity) + "</td>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
