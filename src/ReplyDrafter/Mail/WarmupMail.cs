using MimeKit;

namespace ReplyDrafter.Mail;

/// <summary>
/// A small built-in reply (plain and HTML, a quoted original, a phone signature) read the way a fetched message is:
/// parsed from bytes and converted, so the parser, the HTML reader and the reply-trimming patterns are compiled before
/// the first real message needs them.
/// </summary>
internal static class WarmupMail
{
    public static EmailMessage Read(CancellationToken cancellationToken)
    {
        var message = new MimeMessage { Subject = "Re: Warm-up", MessageId = "warm-up@replydrafter.invalid", Date = DateTimeOffset.UnixEpoch };
        message.From.Add(new MailboxAddress("Warm Up", "warm-up@replydrafter.invalid"));
        message.To.Add(new MailboxAddress("Reply Drafter", "replydrafter@replydrafter.invalid"));
        message.InReplyTo = "earlier@replydrafter.invalid";
        message.References.Add("earlier@replydrafter.invalid");
        const string Text = "Thanks, see you Friday.\n\nSent from my iPhone\n\nOn 1 Dec 2025 10:00, Reply Drafter <replydrafter@replydrafter.invalid> wrote:\n> Can we meet on Friday?\n";
        var body = new BodyBuilder
        {
            TextBody = Text,
            HtmlBody = "<html><body><p>Thanks, see you <b>Friday</b>.</p><blockquote>Can we meet on Friday?</blockquote></body></html>",
        };
        message.Body = body.ToMessageBody();

        using var bytes = new MemoryStream();
        message.WriteTo(bytes, cancellationToken);
        bytes.Position = 0;
        var parsed = MimeMessage.Load(MimeMessageConverter.CreateParserOptions(), bytes, cancellationToken);
        return MimeMessageConverter.Convert(parsed, fromMbox: false, cancellationToken);
    }
}
