using System.Text;
using System.Text.RegularExpressions;
using MimeKit.Cryptography;

namespace ReplyDrafter.Mail;

/// <summary>Where an item came from, as far as it proves who wrote its messages.</summary>
public enum MailOrigin
{
    /// <summary>Anything delivered to the user (an inbox file, a watched IMAP folder): proves nothing about the sender.</summary>
    Received,

    /// <summary>The user's own sent mail: the IMAP Sent folder (not flagged \Draft), or the vault's <c>Inbox/Sent/</c> drop folder.</summary>
    Sent,
}

/// <summary>
/// Decides whether a message is the user's own by what proves it, never by its <c>From:</c> alone (anyone can write
/// the user's address there): its origin, or an Authentication-Results header the user's own receiving server added.
/// </summary>
internal static partial class OwnMail
{
    /// <summary>Why the message is proven the user's own ("sent folder", "authentication-results"), or null when nothing proves it.</summary>
    /// <param name="isMe">Whether an address is the user's (<c>Me:Email</c> or an alias).</param>
    /// <param name="meEmail">The user's main address; its domain is what DKIM or DMARC must pass for.</param>
    /// <param name="authServId">The authserv-id of the user's own receiving server; empty turns the header check off.</param>
    public static string? Proof(EmailMessage message, MailOrigin origin, Func<string?, bool> isMe, string meEmail, string? authServId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(isMe);
        if (!isMe(message.From.Address))
        {
            // Even in Sent: a message someone else appended there with another sender is not the user's.
            return null;
        }

        if (origin == MailOrigin.Sent)
        {
            return "sent folder";
        }

        return !string.IsNullOrWhiteSpace(authServId) && AuthenticatedAs(message.AuthenticationResults, authServId.Trim(), Domain(meEmail))
            ? "authentication-results"
            : null;
    }

    /// <summary>True for a Message-ID of a draft ReplyDrafter made (<c>replydrafter.&lt;24 hex&gt;@domain</c>).</summary>
    public static bool IsOurDraftId(string? messageId) => messageId is not null && OurDraftId().IsMatch(messageId);

    /// <summary>
    /// Only the topmost header from <paramref name="authServId"/> counts: the user's server adds its own on top of
    /// whatever the message carried, so a lower one with the same id may be the sender's forgery (RFC 8601 §5).
    /// </summary>
    internal static bool AuthenticatedAs(IReadOnlyList<string> headers, string authServId, string? domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return false;
        }

        foreach (var value in headers)
        {
            if (!AuthenticationResults.TryParse(Encoding.UTF8.GetBytes(value), out var results)
                || !string.Equals(results.AuthenticationServiceIdentifier, authServId, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return results.Results.Any(r => Passes(r, domain));
        }

        return false;
    }

    private static bool Passes(AuthenticationMethodResult result, string domain)
    {
        if (!string.Equals(result.Result, "pass", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.Equals(result.Method, "dmarc", StringComparison.OrdinalIgnoreCase))
        {
            return Property(result, "header", "from") is { } from && Aligned(from, domain);
        }

        if (string.Equals(result.Method, "dkim", StringComparison.OrdinalIgnoreCase))
        {
            // header.i is an identity (user@sub.domain or @domain): its domain part is what is aligned.
            return (Property(result, "header", "d") ?? Domain(Property(result, "header", "i"))) is { } signer && Aligned(signer, domain);
        }

        return false;
    }

    private static string? Property(AuthenticationMethodResult result, string type, string name) =>
        result.Properties.FirstOrDefault(p =>
            string.Equals(p.PropertyType, type, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Property, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The same domain, or one a subdomain of the other (DMARC's relaxed alignment, without a public-suffix list).</summary>
    private static bool Aligned(string signer, string domain)
    {
        signer = signer.Trim().TrimEnd('.');
        return string.Equals(signer, domain, StringComparison.OrdinalIgnoreCase)
            || (signer.Contains('.', StringComparison.Ordinal) && domain.EndsWith("." + signer, StringComparison.OrdinalIgnoreCase))
            || signer.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Domain(string? address)
    {
        int at = address?.LastIndexOf('@') ?? -1;
        return address is not null && at >= 0 && at < address.Length - 1 ? address[(at + 1)..].Trim().TrimEnd('>') : null;
    }

    [GeneratedRegex(@"^replydrafter\.[0-9a-f]{24}@[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex OurDraftId();
}
