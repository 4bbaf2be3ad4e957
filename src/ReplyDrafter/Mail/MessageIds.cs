using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReplyDrafter.Mail;

/// <summary>Message-ID normalization and deterministic synthesis for messages that have none.</summary>
internal static class MessageIds
{
    /// <summary>The id without angle brackets or surrounding whitespace; null when nothing is left.</summary>
    public static string? Normalize(string? id)
    {
        if (id is null)
        {
            return null;
        }

        var trimmed = id.Trim().TrimStart('<').TrimEnd('>').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>True for an id <see cref="Synthesize"/> made: no mail client knows it, so nothing may reply to it.</summary>
    public static bool IsSynthesized(string messageId) =>
        messageId.StartsWith("generated-", StringComparison.Ordinal) && messageId.EndsWith("@replydrafter.local", StringComparison.Ordinal);

    /// <summary>
    /// "generated-&lt;16 hex&gt;@replydrafter.local" from a SHA-256 of sender, date, subject and body, so the same
    /// message read twice gets the same id (and the ledger recognises it).
    /// </summary>
    public static string Synthesize(string from, DateTimeOffset date, string subject, string body)
    {
        var material = string.Join('\n', from, date.ToString("O", CultureInfo.InvariantCulture), subject, body);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(material));
        return $"generated-{Convert.ToHexStringLower(hash.AsSpan(0, 8))}@replydrafter.local";
    }
}
