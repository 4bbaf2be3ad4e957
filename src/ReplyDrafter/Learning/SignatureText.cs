namespace ReplyDrafter.Learning;

/// <summary>Removes the configured signature from the end of a text, so a draft and a reply compare on their words alone.</summary>
internal static class SignatureText
{
    /// <summary>
    /// The text without trailing blank lines and without the signature's lines at its end: all of them, or the first
    /// few (a reply signed with the name only). Lines compare trimmed; a text without the signature comes back trimmed.
    /// </summary>
    public static string Without(string text, string signature)
    {
        var lines = Lines(text);
        var signatureLines = Lines(signature).Select(l => l.Trim()).Where(l => l.Length > 0 && l != "--").ToList();
        for (var length = Math.Min(signatureLines.Count, lines.Count); length >= 1; length--)
        {
            var tail = lines.Skip(lines.Count - length).Select(line => line.Trim()).ToList();
            if (tail.SequenceEqual(signatureLines.Take(length), StringComparer.Ordinal))
            {
                lines.RemoveRange(lines.Count - length, length);
                break;
            }
        }

        return string.Join('\n', lines).Trim();
    }

    private static List<string> Lines(string text)
    {
        var trimmed = text.ReplaceLineEndings("\n").TrimEnd();
        return trimmed.Length == 0 ? [] : [.. trimmed.Split('\n')];
    }
}
