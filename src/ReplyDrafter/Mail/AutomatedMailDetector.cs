using MimeKit;

namespace ReplyDrafter.Mail;

/// <summary>Tells bulk and machine-sent mail (newsletters, notifications, auto-replies) from mail a person wrote.</summary>
internal static class AutomatedMailDetector
{
    private static readonly string[] AutomaticLocalParts =
    [
        "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "mailer-daemon",
        "postmaster", "notifications", "notification", "bounce", "bounces",
    ];

    private static readonly string[] AutoReplySubjects =
    [
        "Automatic reply:", "Auto-Reply:", "Autoreply:", "Out of Office:", "Out of office:", "Abwesenheitsnotiz:",
        "Réponse automatique :", "Automatische Antwort:",
    ];

    /// <summary>Why the message is bulk or automatic, in words; null for a personal message.</summary>
    /// <remarks>X-Auto-Response-Suppress alone is not evidence: Outlook sets it on ordinary meeting mail too.</remarks>
    public static string? Reason(HeaderList headers, string fromAddress, string subject, string? topContentType)
    {
        ArgumentNullException.ThrowIfNull(headers);

        if (headers.Contains(HeaderId.ListUnsubscribe))
        {
            return "bulk mail (List-Unsubscribe header)";
        }

        if (headers.Contains(HeaderId.ListId))
        {
            return "mailing list (List-Id header)";
        }

        var precedence = headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase)
            || precedence.Equals("list", StringComparison.OrdinalIgnoreCase)
            || precedence.Equals("junk", StringComparison.OrdinalIgnoreCase)))
        {
            return $"bulk mail (Precedence: {precedence.ToLowerInvariant()})";
        }

        var autoSubmitted = headers[HeaderId.AutoSubmitted]?.Trim();
        if (!string.IsNullOrEmpty(autoSubmitted) && !autoSubmitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"automatic message (Auto-Submitted: {autoSubmitted.Split(';')[0].Trim()})";
        }

        foreach (var name in (string[])["X-Autoreply", "X-Autorespond", "X-Autoresponder"])
        {
            if (headers.Contains(name))
            {
                return $"automatic reply ({name} header)";
            }
        }

        if (topContentType is not null && topContentType.Equals("multipart/report", StringComparison.OrdinalIgnoreCase))
        {
            return "delivery or read report (multipart/report)";
        }

        return ReasonFromSender(fromAddress, subject);
    }

    /// <summary>The checks that need no headers: the sender's address and an auto-reply subject.</summary>
    public static string? ReasonFromSender(string fromAddress, string subject)
    {
        var at = fromAddress.IndexOf('@', StringComparison.Ordinal);
        var local = at > 0 ? fromAddress[..at] : fromAddress;
        foreach (var candidate in AutomaticLocalParts)
        {
            if (local.Equals(candidate, StringComparison.OrdinalIgnoreCase)
                || local.StartsWith(candidate + "+", StringComparison.OrdinalIgnoreCase)
                || local.StartsWith(candidate + "-", StringComparison.OrdinalIgnoreCase)
                || local.StartsWith(candidate + ".", StringComparison.OrdinalIgnoreCase))
            {
                return $"automatic sender ({fromAddress})";
            }
        }

        foreach (var prefix in AutoReplySubjects)
        {
            if (subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return $"automatic reply (subject \"{prefix}\")";
            }
        }

        return null;
    }
}
