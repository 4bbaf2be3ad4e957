using ReplyDrafter.Mail;

namespace ReplyDrafter.Drafts;

/// <summary>Who a reply goes to and whether a message calls for one: decided from headers and settings, never by the model.</summary>
internal static class Addressing
{
    /// <summary>Why no draft is written for this latest message, or null when the model may decide.</summary>
    public static string? WhyNoDraft(EmailMessage latest, MeOptions me)
    {
        if (me.IsMe(latest.From.Address))
        {
            return "the last message is your own";
        }

        // Bulk mail never; list mail only when it is to the user (on To/Cc, or asking them by name).
        if ((latest.AutomatedReason ?? AutomatedMailDetector.ListReason(latest, me.IsMe, me.Name)) is { } reason)
        {
            return reason;
        }

        if (latest.List is not null)
        {
            return null;
        }

        var addressedToMe = string.IsNullOrWhiteSpace(me.Email) || latest.To.Concat(latest.Cc).Any(p => me.IsMe(p.Address));
        return addressedToMe ? null : "the last message is not addressed to you";
    }

    /// <summary>Reply-all: Reply-To (else From) as <c>to</c>; everyone else on To/Cc except the user as <c>cc</c>.</summary>
    public static (MailParty To, IReadOnlyList<MailParty> Cc) ReplyAll(EmailMessage latest, MeOptions me)
    {
        var to = latest.ReplyTo.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p.Address)) ?? latest.From;
        var cc = latest.To.Concat(latest.Cc)
            .Where(p => !string.IsNullOrWhiteSpace(p.Address) && !me.IsMe(p.Address))
            .Where(p => !string.Equals(p.Address, to.Address, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(p => p.Address.ToUpperInvariant())
            .ToList();
        return (to, cc);
    }

    /// <summary>Everyone on the thread's headers, by name where one is given.</summary>
    public static IReadOnlyList<string> Participants(IEnumerable<EmailMessage> messages) =>
        messages.SelectMany(m => new[] { m.From }.Concat(m.To).Concat(m.Cc))
            .Where(p => !string.IsNullOrWhiteSpace(p.Address) || !string.IsNullOrWhiteSpace(p.Name))
            .DistinctBy(p => p.Address.ToUpperInvariant())
            .Select(p => p.NameOrAddress.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}
