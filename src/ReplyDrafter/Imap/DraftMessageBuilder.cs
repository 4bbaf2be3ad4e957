using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace ReplyDrafter.Imap;

/// <summary>Builds the MIME reply a mail client shows threaded in its Drafts folder, ready to edit and send.</summary>
internal static class DraftMessageBuilder
{
    /// <summary>Carries the SHA-256 of the body we wrote: a draft whose body no longer matches was edited by the user.</summary>
    public const string BodyHashHeader = "X-ReplyDrafter-Body-Sha256";

    public static MimeMessage Build(DraftReply draft, bool quoteOriginal)
    {
        ArgumentNullException.ThrowIfNull(draft);
        string body = Body(draft, quoteOriginal);
        var message = new MimeMessage { Subject = draft.Subject, Date = draft.Date };
        message.From.Add(draft.From);
        message.To.AddRange(draft.To);
        message.Cc.AddRange(draft.Cc);

        var references = draft.References.Select(Bare).Where(r => r.Length > 0).ToList();
        string? inReplyTo = draft.InReplyTo is null ? null : Bare(draft.InReplyTo);
        if (!string.IsNullOrEmpty(inReplyTo))
        {
            message.InReplyTo = inReplyTo;
            if (references.Count == 0 || references[^1] != inReplyTo)
            {
                references.Remove(inReplyTo);
                references.Add(inReplyTo);
            }
        }

        foreach (var reference in references)
        {
            message.References.Add(reference);
        }

        message.MessageId = draft.MessageId is { Length: > 0 } id ? Bare(id) : StableId(draft, body);
        message.Headers.Add(BodyHashHeader, BodyHash(body));
        var text = new TextPart(TextFormat.Plain);
        text.SetText(Encoding.UTF8, body);
        message.Body = text;
        return message;
    }

    /// <summary>The hash <see cref="BodyHashHeader"/> holds, over the decoded text with line ends and trailing space normalized.</summary>
    public static string BodyHash(string? text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((text ?? "").ReplaceLineEndings("\n").TrimEnd())));

    internal static string Body(DraftReply draft, bool quoteOriginal)
    {
        var body = new StringBuilder(draft.Response.ReplaceLineEndings("\n").TrimEnd()).Append('\n');
        if (!string.IsNullOrWhiteSpace(draft.Signature))
        {
            body.Append('\n').Append(draft.Signature.ReplaceLineEndings("\n").TrimEnd()).Append('\n');
        }

        if (quoteOriginal && draft.Original is { } original)
        {
            string when = original.Date.ToString("ddd, d MMM yyyy 'at' HH:mm", CultureInfo.InvariantCulture);
            string name = string.IsNullOrWhiteSpace(original.Name) ? "someone" : original.Name.Trim();
            body.Append('\n').Append(CultureInfo.InvariantCulture, $"On {when}, {name} wrote:").Append('\n');
            foreach (var line in original.Text.ReplaceLineEndings("\n").TrimEnd().Split('\n'))
            {
                body.Append(line.Length == 0 ? ">" : "> " + line).Append('\n');
            }
        }

        return body.ToString();
    }

    private static string StableId(DraftReply draft, string body)
    {
        string material = string.Join('\n', draft.InReplyTo, string.Join(' ', draft.References), draft.Subject, body);
        string hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)).AsSpan(0, 12));
        string domain = draft.From.Domain is { Length: > 0 } d ? d : "replydrafter.local";
        return $"replydrafter.{hex}@{domain}";
    }

    private static string Bare(string id) => id.Trim().TrimStart('<').TrimEnd('>').Trim();
}
