namespace ReplyDrafter.Inbox;

/// <summary>The text of <c>_failed/NAME.error.md</c>: why an item was not processed, and how to retry it.</summary>
internal static class FailedItemNote
{
    /// <remarks>The names are the sender's or whoever dropped the file: escaped so a code fence, a link or a control
    /// character in them reads as text; the reason may quote a header, so it is made inert too.</remarks>
    public static string Render(string failedName, string originalName, string reason, DateTimeOffset at)
    {
        var explanation = $"""
            # Why {Security.ControlText.FileNameForMarkdown(failedName)} was not processed

            {Vault.MarkdownText.Paragraphs(reason)}

            - Failed at: {at:yyyy-MM-dd HH:mm:ss zzz}
            - Original name: {Security.ControlText.FileNameForMarkdown(originalName)}

            Nothing else was affected. To try again, fix what is described above and move the file back into the inbox
            folder.
            """;
        return Vault.TextFolding.NormalizeNewlines(explanation) + "\n";
    }
}
