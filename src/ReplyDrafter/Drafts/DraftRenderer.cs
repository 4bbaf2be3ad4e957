using System.Globalization;
using System.Text;
using ReplyDrafter.Notes;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Drafts;

internal static class DraftRenderer
{
    public const string PendingStatus = "pending";
    public const string Footer = "*This draft was auto-generated. Edit and send via your email client.*";

    /// <summary>The draft as markdown with YAML frontmatter; the body ends with the signature.</summary>
    /// <remarks><c>created</c> is the wall-clock time of <see cref="DraftDocument.Created"/>'s own offset;
    /// <c>ai_temperature</c> is left out when unknown.</remarks>
    public static string Render(DraftDocument draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!NoteVocabulary.Shipped.Urgencies.Contains(draft.Urgency, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown urgency '{draft.Urgency}'.", nameof(draft));
        }

        var fields = new List<KeyValuePair<string, object?>>
        {
            new("type", "draft-reply"),
            new("status", TextFolding.SingleLine(draft.Status)),
        };
        if (draft.SentSimilarity is { } similarity)
        {
            fields.Add(new("sent_similarity", similarity));
        }

        if (draft.SentAt is { } sentAt)
        {
            fields.Add(new("sent_at", sentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        }

        fields.AddRange(
        [
            new("created", draft.Created.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            new("urgency", draft.Urgency),
            new("to", TextFolding.SingleLine(draft.To)),
            new("cc", draft.Cc.Select(TextFolding.SingleLine).Where(cc => cc.Length > 0).ToList()),
            new("subject", TextFolding.SingleLine(draft.Subject)),
            new("in_reply_to", string.IsNullOrWhiteSpace(draft.InReplyTo) ? null : $"<{TextFolding.SingleLine(draft.InReplyTo).Trim('<', '>', ' ')}>"),
            new("source_file", VaultPath.Relative(draft.SourceFile, nameof(draft.SourceFile))),
            new("thread_note", VaultPath.Relative(draft.ThreadNote, nameof(draft.ThreadNote))),
            new("ai_model", TextFolding.SingleLine(draft.AiModel)),
        ]);
        if (draft.AiTemperature is { } temperature)
        {
            fields.Add(new("ai_temperature", temperature));
        }

        fields.Add(new("prompt_file", VaultPath.Relative(draft.PromptFile, nameof(draft.PromptFile))));

        var keyPoints = draft.Content.KeyPoints.Select(MarkdownText.Inline).Where(point => point.Length > 0).Select(point => "- " + point).ToList();
        var summary = MarkdownText.Paragraphs(draft.OriginalSummary);

        return new StringBuilder(Frontmatter.WriteInert(fields))
            .Append('\n')
            .Append("# Draft Reply to ").Append(MarkdownText.Heading(draft.RecipientName)).Append("\n\n")
            .Append("**Regarding**: ").Append(MarkdownText.Inline(draft.Regarding)).Append('\n')
            .Append("**Urgency**: ").Append(draft.Urgency).Append("\n\n")
            .Append("---\n\n")
            .Append("## Key Points to Address\n\n")
            .Append(keyPoints.Count == 0 ? NoteRenderer.None : string.Join('\n', keyPoints)).Append("\n\n")
            .Append("---\n\n")
            .Append("## Draft Response\n\n")
            .Append(ResponseWithSignature(draft.Content.Body, draft.Signature)).Append("\n\n")
            .Append("---\n\n")
            .Append("## Original Summary\n\n")
            .Append(summary.Length == 0 ? NoteRenderer.None : summary).Append("\n\n")
            .Append("---\n\n")
            .Append(Footer).Append('\n')
            .ToString();
    }

    /// <summary>
    /// The reply followed by the signature. When the model already signed (all of the signature, or its first lines,
    /// such as the name), those lines are replaced by the configured signature rather than repeated.
    /// </summary>
    internal static string ResponseWithSignature(string body, string signature)
    {
        var replyLines = Lines(body);
        var signatureLines = Lines(signature);
        var signOffAbove = false;
        if (signatureLines.Count > 0)
        {
            for (var length = Math.Min(signatureLines.Count, replyLines.Count); length >= 1; length--)
            {
                var tail = replyLines.Skip(replyLines.Count - length).Select(line => line.Trim());
                if (tail.SequenceEqual(signatureLines.Take(length).Select(line => line.Trim()), StringComparer.Ordinal))
                {
                    replyLines.RemoveRange(replyLines.Count - length, length);
                    signOffAbove = replyLines.Count > 0 && replyLines[^1].Trim().Length > 0;
                    break;
                }
            }

            while (replyLines.Count > 0 && replyLines[^1].Trim().Length == 0)
            {
                replyLines.RemoveAt(replyLines.Count - 1);
            }
        }

        var reply = MarkdownText.Verbatim(string.Join('\n', replyLines));
        if (signatureLines.Count == 0)
        {
            return reply;
        }

        // The signature is configuration, but its lines still must not become headings or rules ("--" under a name).
        var signed = string.Join('\n', signatureLines.Select(line => MarkdownText.Verbatim(line) is { Length: > 0 } escaped ? escaped + HardBreak(line) : string.Empty));
        // Where the model signed, its sign-off line ("Best,") keeps its place right above the signature.
        var separator = signOffAbove ? "\n" : "\n\n";
        return reply.Length == 0 ? signed : reply + separator + signed;
    }

    // Keeps a signature's "  " line ends, which markdown needs to show it on separate lines.
    private static string HardBreak(string line) => line.EndsWith("  ", StringComparison.Ordinal) ? "  " : string.Empty;

    private static List<string> Lines(string? text)
    {
        var lines = TextFolding.NormalizeNewlines(text ?? string.Empty).Split('\n').ToList();
        while (lines.Count > 0 && lines[0].Trim().Length == 0)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}

/// <summary>What the integrator reads back from a draft file on disk.</summary>
internal static class DraftFile
{
    /// <summary>The frontmatter <c>status</c> (e.g. "pending"), or null when the file has none.</summary>
    public static string? ReadStatus(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return Frontmatter.Read(markdown).GetString("status")?.Trim();
    }
}
