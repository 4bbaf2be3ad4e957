using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace ReplyDrafter.Imap;

/// <summary>Builds the MIME reply a mail client shows threaded in its Drafts folder, ready to edit and send.</summary>
internal static class DraftMessageBuilder
{
    /// <summary>
    /// The SHA-256 of the body, in a header of drafts written before the hash moved into imap.db (a client would send
    /// it on to the recipients): read for those old drafts, never written.
    /// </summary>
    public const string LegacyBodyHashHeader = "X-ReplyDrafter-Body-Sha256";

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

        foreach (var reference in Trimmed(references))
        {
            message.References.Add(reference);
        }

        message.MessageId = draft.MessageId is { Length: > 0 } id ? Bare(id) : StableId(draft, body);
        var text = new TextPart(TextFormat.Plain);
        text.SetText(Encoding.UTF8, body);
        text.ContentTransferEncoding = TransferEncoding(body);
        message.Body = text;
        return message;
    }

    /// <summary>A longer References chain keeps its first id and the last <see cref="KeptReferences"/> (RFC 5322 §3.6.4 allows trimming).</summary>
    public const int KeptReferences = 20;

    // The first id names the thread's start, the last ones its recent branch: what clients thread by.
    internal static IReadOnlyList<string> Trimmed(List<string> ids) =>
        ids.Count <= KeptReferences + 1 ? ids : [ids[0], .. ids.Skip(ids.Count - KeptReferences)];

    /// <summary>As mail clients send text: 7bit when it is ASCII in short lines, else quoted-printable (no raw 8-bit UTF-8).</summary>
    internal static ContentEncoding TransferEncoding(string body) =>
        body.All(char.IsAscii) && body.Split('\n').All(line => line.Length <= 998) ? ContentEncoding.SevenBit : ContentEncoding.QuotedPrintable;

    /// <summary>The hash imap.db keeps of a draft we wrote (and old drafts carried in <see cref="LegacyBodyHashHeader"/>), over the decoded text with line ends and trailing space normalized.</summary>
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
