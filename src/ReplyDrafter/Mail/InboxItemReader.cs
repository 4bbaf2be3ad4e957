namespace ReplyDrafter.Mail;

/// <summary>Reads an inbox file (.eml, .mbox, .md, .txt) into messages or a transcript.</summary>
internal static class InboxItemReader
{
    /// <summary>Parses the file. Throws <see cref="UnreadableItemException"/> with a plain-words reason when it cannot.</summary>
    public static InboxItemContent Read(string path, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
