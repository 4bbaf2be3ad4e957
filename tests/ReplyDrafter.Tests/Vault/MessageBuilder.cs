using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Vault;

/// <summary>Builds parsed <see cref="EmailMessage"/> values for vault tests.</summary>
internal sealed class MessageBuilder
{
    private string _messageId = "abc123@mail.example.com";
    private string? _inReplyTo;
    private List<string> _references = [];
    private MailParty _from = new("Jeff Denworth", "jeff@example.com");
    private List<MailParty> _to = [new("Jason Vallery", "jason@example.com")];
    private List<MailParty> _cc = [];
    private DateTimeOffset _date = new(2025, 12, 21, 7, 52, 42, TimeSpan.FromHours(-8));
    private string _subject = "Re: MAI / VAST December 8th EoD update";
    private string _body = "Hi Jason,\n\nWhere are we?\n\nJeff";
    private List<AttachmentInfo> _attachments = [];

    public MessageBuilder MessageId(string id) { _messageId = id; return this; }

    public MessageBuilder InReplyTo(string? id) { _inReplyTo = id; return this; }

    public MessageBuilder References(params string[] ids) { _references = [.. ids]; return this; }

    public MessageBuilder From(string name, string address) { _from = new MailParty(name, address); return this; }

    public MessageBuilder To(params MailParty[] parties) { _to = [.. parties]; return this; }

    public MessageBuilder Cc(params MailParty[] parties) { _cc = [.. parties]; return this; }

    public MessageBuilder Date(DateTimeOffset date) { _date = date; return this; }

    public MessageBuilder Subject(string subject) { _subject = subject; return this; }

    public MessageBuilder Body(string body) { _body = body; return this; }

    public MessageBuilder Attachments(params AttachmentInfo[] attachments) { _attachments = [.. attachments]; return this; }

    public EmailMessage Build() => new(
        _messageId, _inReplyTo, _references, _from, _to, _cc, [], _date, _subject, _body, _body, _attachments, AutomatedReason: null);
}
