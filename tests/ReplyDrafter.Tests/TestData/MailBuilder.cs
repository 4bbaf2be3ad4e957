using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace ReplyDrafter.Tests.TestData;

/// <summary>Builds MIME messages for tests: plain, HTML in a given charset, alternatives, attachments, bulk and reply headers.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The message is handed to the caller by Build().")]
internal sealed class MimeMessageBuilder
{
    private readonly MimeMessage _message = new();
    private readonly List<MimeEntity> _attachments = [];
    private MimeEntity? _body;

    public MimeMessageBuilder()
    {
        _message.From.Add(new MailboxAddress("Alice Sender", "alice@example.com"));
        _message.To.Add(new MailboxAddress("Me Myself", "me@example.com"));
        _message.Subject = "Hello";
        _message.Date = new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);
        _message.MessageId = "msg-1@example.com";
    }

    public static MimeMessageBuilder Create() => new();

    /// <summary>The tests' usual mail: a plain-text message to the configured user of <c>DaemonHarness</c>, on 1 December 2025 unless dated.</summary>
    public static MimeMessageBuilder ToMe(
        string id, string subject, string body = "Can you send the Q3 budget?", string fromName = "Bob Builder", string fromAddress = "bob@example.com", DateTimeOffset? date = null) =>
        Create()
            .MessageId(id)
            .From(fromName, fromAddress)
            .To(EndToEnd.DaemonHarness.MyName, EndToEnd.DaemonHarness.MyEmail)
            .Subject(subject)
            .Date(date ?? new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero))
            .PlainBody(body);

    public MimeMessageBuilder From(string name, string address)
    {
        _message.From.Clear();
        _message.From.Add(new MailboxAddress(name, address));
        return this;
    }

    public MimeMessageBuilder To(string name, string address)
    {
        _message.To.Clear();
        _message.To.Add(new MailboxAddress(name, address));
        return this;
    }

    public MimeMessageBuilder Cc(string name, string address)
    {
        _message.Cc.Add(new MailboxAddress(name, address));
        return this;
    }

    public MimeMessageBuilder Subject(string subject)
    {
        _message.Subject = subject;
        return this;
    }

    public MimeMessageBuilder Date(DateTimeOffset date)
    {
        _message.Date = date;
        return this;
    }

    public MimeMessageBuilder Date(string isoDate) =>
        Date(DateTimeOffset.Parse(isoDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

    public MimeMessageBuilder MessageId(string id)
    {
        _message.MessageId = id;
        return this;
    }

    public MimeMessageBuilder WithoutHeader(string name)
    {
        _message.Headers.RemoveAll(name);
        return this;
    }

    /// <summary>In-Reply-To plus References (the parent chain, oldest first) as a well-behaved client writes them.</summary>
    public MimeMessageBuilder ReplyTo(string parentId, params string[] olderReferences)
    {
        _message.InReplyTo = parentId;
        foreach (var reference in olderReferences.Append(parentId))
        {
            _message.References.Add(reference);
        }

        return this;
    }

    /// <summary>Outlook style: In-Reply-To without References.</summary>
    public MimeMessageBuilder InReplyToOnly(string parentId)
    {
        _message.InReplyTo = parentId;
        return this;
    }

    public MimeMessageBuilder Header(string name, string value)
    {
        _message.Headers.Add(name, value);
        return this;
    }

    public MimeMessageBuilder Newsletter() =>
        Header("List-Unsubscribe", "<mailto:unsubscribe@news.example.com>").Header("List-Id", "<news.example.com>");

    public MimeMessageBuilder PlainBody(string text, string charset = "utf-8", ContentEncoding encoding = ContentEncoding.Default)
    {
        _body = TextPart(TextFormat.Plain, text, charset, encoding);
        return this;
    }

    public MimeMessageBuilder HtmlBody(string html, string charset = "utf-8", ContentEncoding encoding = ContentEncoding.Default)
    {
        _body = TextPart(TextFormat.Html, html, charset, encoding);
        return this;
    }

    /// <summary>A text part whose bytes are given as they are, with any charset label (even a bogus one).</summary>
    public MimeMessageBuilder RawBody(string mediaSubtype, byte[] bytes, string? charsetLabel, ContentEncoding encoding = ContentEncoding.EightBit)
    {
        var part = new TextPart(mediaSubtype)
        {
            Content = new MimeContent(new MemoryStream(bytes)),
            ContentTransferEncoding = encoding,
        };
        if (charsetLabel is not null)
        {
            part.ContentType.Parameters["charset"] = charsetLabel;
        }

        _body = part;
        return this;
    }

    public MimeMessageBuilder AlternativeBody(string plain, string html)
    {
        var alternative = new MultipartAlternative
        {
            TextPart(TextFormat.Plain, plain, "utf-8", ContentEncoding.QuotedPrintable),
            TextPart(TextFormat.Html, html, "utf-8", ContentEncoding.QuotedPrintable),
        };
        _body = alternative;
        return this;
    }

    /// <summary>An attachment of <paramref name="size"/> pseudo-random bytes, base64 encoded.</summary>
    public MimeMessageBuilder Attachment(string fileName, int size, string contentType = "application/octet-stream")
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        _attachments.Add(new MimePart(ContentType.Parse(contentType))
        {
            Content = new MimeContent(new MemoryStream(bytes)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = fileName,
        });
        return this;
    }

    public MimeMessage Build()
    {
        var body = _body ?? TextPart(TextFormat.Plain, "Hello there.", "utf-8", ContentEncoding.Default);
        if (_attachments.Count == 0)
        {
            _message.Body = body;
        }
        else
        {
            var mixed = new Multipart("mixed") { body };
            foreach (var attachment in _attachments)
            {
                mixed.Add(attachment);
            }

            _message.Body = mixed;
        }

        return _message;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Build().WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Writes the message as an .eml file in <paramref name="folder"/> and returns its path.</summary>
    public string WriteEml(TempFolder folder, string fileName = "message.eml") => folder.WriteBytes(fileName, ToBytes());

    private static TextPart TextPart(TextFormat format, string text, string charset, ContentEncoding encoding)
    {
        var part = new TextPart(format) { ContentTransferEncoding = encoding };
        part.SetText(charset, text);
        return part;
    }
}

/// <summary>Writes mbox files: each message after a "From " separator line, body "From " lines escaped.</summary>
internal static class Mbox
{
    public static byte[] ToBytes(IEnumerable<MimeMessage> messages)
    {
        using var stream = new MemoryStream();
        foreach (var message in messages)
        {
            var separator = string.Create(CultureInfo.InvariantCulture, $"From sender@example.com {message.Date.UtcDateTime:ddd MMM d HH:mm:ss yyyy}\n");
            stream.Write(Encoding.ASCII.GetBytes(separator));
            using var one = new MemoryStream();
            message.WriteTo(FormatOptions.Default, one);
            var text = Encoding.Latin1.GetString(one.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal);
            text = text.Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            stream.Write(Encoding.Latin1.GetBytes(text.EndsWith('\n') ? text : text + "\n"));
            stream.Write("\n"u8);
        }

        return stream.ToArray();
    }

    public static string Write(TempFolder folder, string fileName, IEnumerable<MimeMessage> messages) =>
        folder.WriteBytes(fileName, ToBytes(messages));
}

/// <summary>Makes mojibake the way broken tools do: UTF-8 bytes decoded with the wrong code page.</summary>
internal static class MojibakeMaker
{
    private static readonly Encoding Windows1252 = GetCodePage(1252);
    private static readonly Encoding MacRoman = GetCodePage(10000);

    public static string AsWindows1252(string text) => Windows1252.GetString(Encoding.UTF8.GetBytes(text));

    public static string AsMacRoman(string text) => MacRoman.GetString(Encoding.UTF8.GetBytes(text));

    public static byte[] ToWindows1252(string text) => Windows1252.GetBytes(text);

    /// <summary>Windows-1252 as strict tools (and many web pages) do it: the five undefined bytes vanish.</summary>
    public static string AsWindows1252DroppingUndefined(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text).Where(b => b is not (0x81 or 0x8D or 0x8F or 0x90 or 0x9D)).ToArray();
        return Windows1252.GetString(bytes);
    }

    private static Encoding GetCodePage(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }
}
