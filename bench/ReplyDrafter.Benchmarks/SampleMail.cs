using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// Builds benchmark inputs with MimeKit, so nothing is checked in. The ideas come from the tests' MailBuilder, kept
/// to what the benchmarks need: plain and HTML bodies, a large attachment, mbox files and realistic reply chains.
/// </summary>
internal static class SampleMail
{
    public static readonly MailboxAddress Me = new("Sam Taylor", "sam.taylor@example.com");
    public static readonly MailboxAddress Alice = new("Alice Moreau", "alice.moreau@client.example");
    public static readonly MailboxAddress Bob = new("Bob Lindqvist", "bob.lindqvist@example.com");

    private static readonly DateTimeOffset Start = new(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Paragraphs =
    [
        "Thanks for sending the revised statement of work. The scope for phase two looks right to me, but the migration of the archive (about 40,000 documents) is still listed as optional and I think it has to be in.",
        "Could you confirm whether the Friday 12 December deadline for the first delivery still holds? Our board meets on the 15th and I would like to show them the pilot results.",
        "On the budget: finance approved 85,000 EUR for this quarter. Anything above that needs a change request signed by Marie before work starts.",
        "I spoke with the infrastructure team this morning. They can give us the staging environment from Wednesday, but only with read-only access to the production data.",
        "Bob will take over the day-to-day coordination while I am travelling next week; please copy him on everything about the test plan.",
        "For the workshop, Tuesday afternoon works for everyone except Jonas, who can join remotely. I will book the large room on the third floor.",
        "One open point: the licence terms for the OCR component. Legal wants to see the vendor contract before we sign anything, so please send it as soon as you have it.",
        "Summing up what we agreed on the call: we keep the weekly status meeting, you send the updated plan by Thursday, and we decide on the archive migration next Monday.",
    ];

    /// <summary>A short plain-text email.</summary>
    public static MimeMessage Plain() =>
        Message(Alice, [Me], "Budget for phase two", "plain-1@client.example", Start,
            TextPart(TextFormat.Plain, "utf-8", Paragraphs[2] + "\n\n" + Paragraphs[1] + "\n\nBest,\nAlice"));

    /// <summary>An HTML-only newsletter-like email (~20 KB of markup) encoded as Windows-1252.</summary>
    public static MimeMessage HtmlWindows1252() =>
        Message(Alice, [Me], "Réunion trimestrielle – ordre du jour", "html-1252@client.example", Start,
            TextPart(TextFormat.Html, "windows-1252", NewsletterHtml()));

    /// <summary>A short email with a random binary attachment of <paramref name="size"/> bytes, base64 encoded.</summary>
    public static MimeMessage WithAttachment(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var attachment = new MimePart("application", "pdf")
        {
            Content = new MimeContent(new MemoryStream(bytes)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "statement-of-work-v3.pdf",
        };
        var body = new Multipart("mixed") { TextPart(TextFormat.Plain, "utf-8", Paragraphs[0] + "\n\nAlice"), attachment };
        return Message(Alice, [Me], "Revised statement of work", "attachment@client.example", Start, body);
    }

    /// <summary>
    /// A reply chain of <paramref name="count"/> messages between Alice, Sam and Bob, as mail clients write it: each
    /// message has its own words, a signature, and the whole previous message quoted below (Gmail "On … wrote:" with
    /// "&gt; " quotes and Outlook "From:/Sent:" header blocks, alternately). The last message is not from Sam.
    /// </summary>
    public static IReadOnlyList<MimeMessage> Thread(int count, string threadKey = "sow")
    {
        var senders = new List<MailboxAddress>(count);
        for (var i = 0; i < count; i++)
        {
            // The client and us in turn, Bob now and then; the last word is never ours (a reply is due).
            var sender = i % 2 == 0 ? Alice : i % 4 == 3 ? Bob : Me;
            senders.Add(i == count - 1 && sender == Me ? Alice : sender);
        }

        const string Subject = "Statement of work – phase two";
        var messages = new List<MimeMessage>(count);
        var ids = new List<string>(count);
        string? previousBody = null;
        for (var i = 0; i < count; i++)
        {
            var from = senders[i];
            var date = Start.AddHours(5 * i);
            var own = new StringBuilder()
                .Append("Hi ").Append(FirstName(i == 0 ? Me : senders[i - 1])).Append(",\n\n")
                .Append(Paragraphs[i % Paragraphs.Length]).Append("\n\n")
                .Append(Paragraphs[(i + 3) % Paragraphs.Length]).Append("\n\n")
                .Append("Thanks,\n").Append(FirstName(from)).Append('\n')
                .Append(Signature(from));
            if (previousBody is not null)
            {
                own.Append('\n').Append(Quote(previousBody, senders[i - 1], Start.AddHours(5 * (i - 1)), Subject, useOutlook: i % 2 == 0));
            }

            var body = own.ToString();
            var id = string.Create(CultureInfo.InvariantCulture, $"{threadKey}-{i}@mail.example");
            var to = from.Equals(Me) ? new[] { Alice } : [Me];
            var message = Message(from, to, i == 0 ? Subject : "RE: " + Subject, id, date, TextPart(TextFormat.Plain, "utf-8", body));
            if (i > 0)
            {
                message.InReplyTo = ids[^1];
                foreach (var reference in ids)
                {
                    message.References.Add(reference);
                }
            }

            if (i % 3 == 2 && from != Bob)
            {
                message.Cc.Add(Bob);
            }

            messages.Add(message);
            ids.Add(id);
            previousBody = body;
        }

        return messages;
    }

    public static byte[] ToBytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>An mboxrd file: a "From " line before each message, body lines "From " escaped.</summary>
    public static byte[] ToMbox(IEnumerable<MimeMessage> messages)
    {
        using var stream = new MemoryStream();
        foreach (var message in messages)
        {
            stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"From sender@example.com {message.Date.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\n")));
            var text = Encoding.Latin1.GetString(ToBytes(message)).Replace("\r\n", "\n", StringComparison.Ordinal)
                .Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            stream.Write(Encoding.Latin1.GetBytes(text.EndsWith('\n') ? text : text + "\n"));
            stream.Write("\n"u8);
        }

        return stream.ToArray();
    }

    /// <summary>The same text as a mail tool that read UTF-8 bytes as Windows-1252 shows it ("Ã©" for "é").</summary>
    public static string AsWindows1252Mojibake(string text) =>
        Encoding.GetEncoding(1252).GetString(Encoding.UTF8.GetBytes(text));

    /// <summary>About <paramref name="length"/> characters of ordinary business text with some accents, quotes and an emoji.</summary>
    public static string BusinessText(int length)
    {
        var text = new StringBuilder(length + 512);
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(Paragraphs[i % Paragraphs.Length]).Append(' ');
            if (i % 3 == 0)
            {
                text.Append("Rendez-vous au café près de la gare – « à bientôt » 📅 — Größe: 12 m², naïve façade. ");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string NewsletterHtml()
    {
        var html = new StringBuilder("<html><head><style>td{font-family:Arial}.x{color:#333}</style><title>Ordre du jour</title></head><body>");
        html.Append("<table width=\"100%\"><tr><td><h1>Réunion trimestrielle</h1><p>Chère équipe, voici l’ordre du jour – merci de préparer vos chiffres (€).</p></td></tr></table>");
        for (var i = 0; i < 24; i++)
        {
            html.Append("<div class=\"x\"><h3>Point ").Append(i + 1).Append(" : révision du budget</h3><p>")
                .Append(Paragraphs[i % Paragraphs.Length])
                .Append(" Déjà validé par la direction, à confirmer lors de la séance.</p><ul><li>Responsable : Hélène</li><li>Échéance : vendredi</li></ul>")
                .Append("<p><a href=\"https://news.example/item?id=").Append(i).Append("\">Lire la suite</a><br>Coût estimé : 1 200 €</p></div>");
        }

        return html.Append("<hr><p style=\"font-size:10px\">Vous recevez ce courriel car vous êtes inscrit. <a href=\"https://news.example/unsubscribe\">Se désinscrire</a></p></body></html>").ToString();
    }

    private static string Signature(MailboxAddress person)
    {
        var (title, company, phone) = person.Equals(Alice)
            ? ("Head of Procurement", "Client Corp SA", "+33 1 23 45 67 89")
            : ("Delivery Lead", "Example Consulting Ltd", "+44 20 7946 0000");
        return $"-- \n{person.Name}\n{title} | {company}\n{phone} | {person.Address}\n\n"
            + $"CONFIDENTIALITY NOTICE: This email and any attachments are confidential and intended solely for the addressee. If you have received it in error, please notify the sender and delete it. {company} accepts no liability for viruses.\n";
    }

    private static string Quote(string previousBody, MailboxAddress previousSender, DateTimeOffset date, string subject, bool useOutlook)
    {
        if (useOutlook)
        {
            return "________________________________\n"
                + $"From: {previousSender.Name} <{previousSender.Address}>\n"
                + $"Sent: {date.ToString("dddd, MMMM d, yyyy h:mm tt", CultureInfo.InvariantCulture)}\n"
                + $"To: {Me.Name} <{Me.Address}>\n"
                + $"Subject: {subject}\n\n"
                + previousBody;
        }

        var quoted = string.Join('\n', previousBody.TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? ">" : "> " + line));
        return $"On {date.ToString("ddd, MMM d, yyyy 'at' h:mm tt", CultureInfo.InvariantCulture)} {previousSender.Name} <{previousSender.Address}> wrote:\n{quoted}\n";
    }

    private static string FirstName(MailboxAddress person) => (person.Name ?? person.Address).Split(' ')[0];

    private static MimeMessage Message(MailboxAddress from, IEnumerable<MailboxAddress> to, string subject, string id, DateTimeOffset date, MimeEntity body)
    {
        var message = new MimeMessage { Subject = subject, MessageId = id, Date = date, Body = body };
        message.From.Add(from);
        message.To.AddRange(to);
        return message;
    }

    private static TextPart TextPart(TextFormat format, string charset, string text)
    {
        var part = new TextPart(format) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(charset, text);
        return part;
    }
}
