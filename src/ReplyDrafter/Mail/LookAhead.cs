namespace ReplyDrafter.Mail;

/// <summary>
/// For every line, where the next quoted and the next unquoted non-blank line are: computed once from the end, so
/// asking at each attribution costs nothing and a body full of them stays linear.
/// </summary>
internal sealed class LookAhead
{
    private readonly int[] _nextQuoted;
    private readonly int[] _nextText;

    private LookAhead(int[] nextQuoted, int[] nextText)
    {
        _nextQuoted = nextQuoted;
        _nextText = nextText;
    }

    public static LookAhead Of(string[] lines, int end)
    {
        var nextQuoted = new int[end + 1];
        var nextText = new int[end + 1];
        nextQuoted[end] = end;
        nextText[end] = end;
        for (var i = end - 1; i >= 0; i--)
        {
            var line = lines[i].AsSpan().Trim();
            var quoted = line.StartsWith(">", StringComparison.Ordinal);
            nextQuoted[i] = quoted ? i : nextQuoted[i + 1];
            nextText[i] = !quoted && line.Length > 0 ? i : nextText[i + 1];
        }

        return new LookAhead(nextQuoted, nextText);
    }

    /// <summary>The first quoted line at or after <paramref name="from"/>, or the end.</summary>
    public int NextQuoted(int from) => _nextQuoted[from];

    /// <summary>The first unquoted, non-blank line at or after <paramref name="from"/>, or the end.</summary>
    public int NextText(int from) => _nextText[from];
}
