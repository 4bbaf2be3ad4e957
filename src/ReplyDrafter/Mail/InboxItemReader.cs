using MimeKit;

namespace ReplyDrafter.Mail;

/// <summary>Reads an inbox file (.eml, .mbox, .md, .txt) into messages or a transcript.</summary>
/// <remarks>
/// MIME is parsed with persistent streams: attachment content stays in the file and is only streamed through a
/// byte counter, so a large attachment costs no memory. I/O errors (a file still being written, a lock) are not
/// wrapped: they are transient, and the caller may retry.
/// </remarks>
internal static class InboxItemReader
{
    /// <summary>A whitespace-only file smaller than this is reported as empty.</summary>
    private const int SmallFileBytes = 4096;

    // Text files beyond this are read only in part; transcripts are capped far below anyway.
    private const int MaxTextFileBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Parses the file within a time budget: a file that takes longer (a hostile body, a huge mailbox) fails with
    /// <see cref="UnreadableItemException"/> saying so, so one item cannot hold up the batch. Cancelling
    /// <paramref name="cancellationToken"/> (shutdown) still throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="path">The inbox file.</param>
    /// <param name="budget">How long reading may take; the clock is <paramref name="time"/>.</param>
    /// <param name="time">The clock the budget runs on.</param>
    /// <param name="cancellationToken">Shutdown.</param>
    public static InboxItemContent ReadWithin(string path, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken) =>
        Within(budget, time, token => Read(path, token), cancellationToken);

    /// <summary>
    /// <see cref="ReadWithin(string, TimeSpan, TimeProvider, CancellationToken)"/> for a file the caller has opened
    /// (the inbox opens without following links and reads exactly what it hashed).
    /// </summary>
    /// <param name="stream">The open file, readable and seekable; left open.</param>
    /// <param name="fileName">The file's name (its extension says how to read it).</param>
    /// <param name="modifiedUtc">When the file was last written (dates a message that has no date).</param>
    /// <param name="budget">How long reading may take; the clock is <paramref name="time"/>.</param>
    /// <param name="time">The clock the budget runs on.</param>
    /// <param name="maxMessages">An mbox is read up to one message past this, so the caller can tell it holds more.</param>
    /// <param name="cancellationToken">Shutdown.</param>
    public static InboxItemContent ReadWithin(
        Stream stream, string fileName, DateTime modifiedUtc, TimeSpan budget, TimeProvider time, int maxMessages, CancellationToken cancellationToken) =>
        Within(budget, time, token => Read(stream, fileName, modifiedUtc, maxMessages, token), cancellationToken);

    private static InboxItemContent Within(TimeSpan budget, TimeProvider time, Func<CancellationToken, InboxItemContent> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        using var timeout = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return read(linked.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UnreadableItemException(
                $"Reading this file took longer than {budget.TotalSeconds:0.#} s, so it was stopped; it may be damaged or built to be slow to read.", ex);
        }
    }

    /// <summary>Parses the file. Throws <see cref="UnreadableItemException"/> with a plain-words reason when it cannot.</summary>
    /// <param name="path">The inbox file.</param>
    /// <param name="cancellationToken">Checked throughout parsing, decoding, HTML conversion and quote stripping.</param>
    public static InboxItemContent Read(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        Kind(Path.GetExtension(path));
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new UnreadableItemException("The file no longer exists.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
        return Read(stream, Path.GetFileName(path), info.LastWriteTimeUtc, int.MaxValue, cancellationToken);
    }

    /// <summary>Parses an open file (see <see cref="ReadWithin(Stream, string, DateTime, TimeSpan, TimeProvider, int, CancellationToken)"/>).</summary>
    /// <param name="stream">The open file, readable and seekable; left open.</param>
    /// <param name="fileName">The file's name (its extension says how to read it).</param>
    /// <param name="modifiedUtc">When the file was last written.</param>
    /// <param name="maxMessages">An mbox is read up to one message past this.</param>
    /// <param name="cancellationToken">Checked throughout parsing.</param>
    public static InboxItemContent Read(Stream stream, string fileName, DateTime modifiedUtc, int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        cancellationToken.ThrowIfCancellationRequested();
        var kind = Kind(Path.GetExtension(fileName));
        stream.Position = 0;
        var length = stream.Length;
        if (length == 0 || (length < SmallFileBytes && ReadPrefix(stream, SmallFileBytes).All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
        {
            throw new UnreadableItemException("The file is empty.");
        }

        stream.Position = 0;
        var content = kind switch
        {
            ItemKind.Eml => ReadEml(stream, cancellationToken),
            ItemKind.Mbox => ReadMbox(stream, maxMessages, cancellationToken),
            _ => TextItemReader.Read(fileName, ReadPrefix(stream, MaxTextFileBytes)),
        };
        return WithArrivalDates(content, modifiedUtc);
    }

    private static ItemKind Kind(string extension) => extension.ToUpperInvariant() switch
    {
        ".EML" => ItemKind.Eml,
        ".MBOX" => ItemKind.Mbox,
        ".MD" or ".TXT" => ItemKind.Text,
        _ => throw new UnreadableItemException(extension.Length == 0
            ? "The file has no extension; ReplyDrafter reads .eml, .mbox, .md and .txt files."
            : $"ReplyDrafter reads .eml, .mbox, .md and .txt files; '{extension}' is not one of them."),
    };

    /// <summary>
    /// A message with neither Date nor Received header is dated when its file arrived, not 1970, so it sorts as the
    /// newest of its thread and files under the right year. Its synthesized Message-ID was made from the header-less
    /// date, so a re-saved copy is still recognised as the same message.
    /// </summary>
    private static InboxItemContent WithArrivalDates(InboxItemContent content, DateTime arrivedUtc) =>
        content.Messages.Any(m => m.Date == DateTimeOffset.UnixEpoch)
            ? content with { Messages = [.. content.Messages.Select(m => m.Date == DateTimeOffset.UnixEpoch ? m with { Date = new DateTimeOffset(arrivedUtc, TimeSpan.Zero) } : m)] }
            : content;

    private static InboxItemContent ReadEml(Stream stream, CancellationToken cancellationToken)
    {
        const string NoHeaders = "This .eml file has no mail headers (From, Date, Subject...); it does not look like an email.";
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(MimeMessageConverter.CreateParserOptions(), stream, persistent: true, cancellationToken);
        }
        catch (FormatException ex)
        {
            throw new UnreadableItemException(NoHeaders, ex);
        }

        using (message)
        {
            if (!MimeMessageConverter.HasMailHeaders(message))
            {
                throw new UnreadableItemException(NoHeaders);
            }

            var email = MimeMessageConverter.Convert(message, fromMbox: false, cancellationToken);
            if (email.From.Address.Length == 0 && email.Subject.Length == 0 && email.Body.Length == 0)
            {
                throw new UnreadableItemException("This .eml file is cut off or damaged: it has no sender, no subject and no text.");
            }

            return new InboxItemContent([email], null);
        }
    }

    private static InboxItemContent ReadMbox(Stream stream, int maxMessages, CancellationToken cancellationToken)
    {
        var parser = new MimeParser(MimeMessageConverter.CreateParserOptions(), stream, MimeFormat.Mbox, persistent: true);
        var messages = new List<EmailMessage>();
        while (!parser.IsEndOfStream && messages.Count <= maxMessages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MimeMessage message;
            try
            {
                message = parser.ParseMessage(cancellationToken);
            }
            catch (FormatException ex)
            {
                if (messages.Count == 0)
                {
                    throw new UnreadableItemException("This .mbox file does not start with a \"From \" line; it does not look like a mailbox.", ex);
                }

                break; // A damaged tail: keep the messages read so far.
            }

            using (message)
            {
                if (MimeMessageConverter.HasMailHeaders(message))
                {
                    messages.Add(MimeMessageConverter.Convert(message, fromMbox: true, cancellationToken));
                }
            }
        }

        return messages.Count > 0
            ? new InboxItemContent(messages, null)
            : throw new UnreadableItemException("This .mbox file holds no readable messages.");
    }

    private static byte[] ReadPrefix(Stream stream, int maxBytes)
    {
        stream.Position = 0;
        var length = (int)Math.Min(stream.Length, maxBytes);
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private enum ItemKind
    {
        Eml,
        Mbox,
        Text,
    }
}
