using System.Text.RegularExpressions;
using MimeKit;

namespace ReplyDrafter.Mail;

/// <summary>Tells bulk and machine-sent mail (newsletters, digests, notifications, auto-replies) from mail a person wrote.</summary>
/// <remarks>
/// Mail through a discussion list (Google Groups, Mailman with List-Post) is not bulk by itself: whether it calls
/// for a reply depends on who it is addressed to, which <see cref="ListReason"/> decides with the user's identity.
/// </remarks>
internal static partial class AutomatedMailDetector
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

    /// <summary>
    /// Why the message is bulk or automatic whoever it is addressed to, in words; null for a personal message and for
    /// discussion-list mail (see <see cref="ListReason"/>).
    /// </summary>
    /// <remarks>X-Auto-Response-Suppress alone is not evidence: Outlook sets it on ordinary meeting mail too.</remarks>
    public static string? Reason(HeaderList headers, string fromAddress, string subject, string? topContentType)
    {
        ArgumentNullException.ThrowIfNull(headers);

        if (topContentType is not null && topContentType.Equals("multipart/digest", StringComparison.OrdinalIgnoreCase))
        {
            return "list digest (multipart/digest)";
        }

        var list = ListOf(headers);
        if (list is not null && DigestSubject().IsMatch(subject))
        {
            return "list digest (digest subject)";
        }

        var precedence = list?.Precedence ?? headers[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (precedence is "bulk" or "junk")
        {
            return $"bulk mail (Precedence: {precedence})";
        }

        if (list is { CanPost: false, HasUnsubscribe: true })
        {
            // A list nobody can post to: a newsletter or announcement list.
            return "newsletter (List-Unsubscribe, no List-Post)";
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

    /// <summary>The list headers of a message, or null when it has none (List-Id, List-Post, List-Unsubscribe, Precedence: list).</summary>
    public static MailingList? ListOf(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var id = headers[HeaderId.ListId]?.Trim();
        var post = headers[HeaderId.ListPost]?.Trim();
        var hasUnsubscribe = headers.Contains(HeaderId.ListUnsubscribe);
        var precedence = headers[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(id) && post is null && !hasUnsubscribe && precedence != "list")
        {
            return null;
        }

        // RFC 2369: "List-Post: NO" means posting is not allowed.
        var canPost = !string.IsNullOrEmpty(post) && !post.Equals("NO", StringComparison.OrdinalIgnoreCase);
        return new MailingList(string.IsNullOrEmpty(id) ? null : id, canPost, hasUnsubscribe, string.IsNullOrEmpty(precedence) ? null : precedence);
    }

    /// <summary>
    /// The draft decision for discussion-list mail: null when the message is to the user (their address or an alias
    /// on To/Cc, or their name asked in the message's own words), else why no draft is written. Null for direct mail.
    /// Call after <see cref="EmailMessage.AutomatedReason"/>, which already covers digests and newsletters.
    /// </summary>
    /// <param name="message">The message (its <see cref="EmailMessage.List"/> set by the reader).</param>
    /// <param name="isMe">True for the user's address or one of their aliases (Me:Email, Me:Aliases).</param>
    /// <param name="myName">The user's name (Me:Name); its first word is looked for as a greeting or a question.</param>
    public static string? ListReason(EmailMessage message, Func<string, bool> isMe, string? myName)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(isMe);
        if (message.List is not { } list)
        {
            return null;
        }

        if (message.To.Concat(message.Cc).Any(p => !string.IsNullOrWhiteSpace(p.Address) && isMe(p.Address)))
        {
            return null;
        }

        if (AsksByName(message.OwnText, myName))
        {
            return null;
        }

        return $"mailing list message not addressed to you ({list.Id ?? "list headers"})";
    }

    /// <summary>True when the text greets or asks the user by first or full name (word-bounded, case-insensitive).</summary>
    public static bool AsksByName(string text, string? myName)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(myName))
        {
            return false;
        }

        var first = myName.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        if (first.Length < 2)
        {
            return false;
        }

        // Only the opening and the lines with a question count: a name in a list of attendees is not a request.
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var opening = i < 3;
            if ((opening || line.Contains('?', StringComparison.Ordinal) || line.Contains('？', StringComparison.Ordinal))
                && ContainsWord(line, first))
            {
                return true;
            }
        }

        return false;
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

    private static bool ContainsWord(string line, string word)
    {
        var index = 0;
        while ((index = line.IndexOf(word, index, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = index + word.Length;
            if ((index == 0 || !char.IsLetterOrDigit(line[index - 1])) && (end >= line.Length || !char.IsLetterOrDigit(line[end])))
            {
                return true;
            }

            index = end;
        }

        return false;
    }

    // "Digest, Vol 12, Issue 3", "[list] Digest Number 42", "Weekly digest", "Daily Digest for ...".
    [GeneratedRegex(@"\bdigest\b(\s*,?\s*(vol|number|no\.?|#|for)\b|$)|^(daily|weekly|monthly)\s+digest\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DigestSubject();
}
