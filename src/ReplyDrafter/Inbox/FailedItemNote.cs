namespace ReplyDrafter.Inbox;

/// <summary>The text of <c>_failed/NAME.error.md</c>: why an item was not processed, and how to retry it.</summary>
internal static class FailedItemNote
{
    public static string Render(string failedName, string originalName, string reason, DateTimeOffset at)
    {
        var explanation = $"""
            # Why {failedName} was not processed

            {reason}

            - Failed at: {at:yyyy-MM-dd HH:mm:ss zzz}
            - Original name: {originalName}

            Nothing else was affected. To try again, fix what is described above and move the file back into the inbox
            folder.
            """;
        return Vault.TextFolding.NormalizeNewlines(explanation) + "\n";
    }
}
