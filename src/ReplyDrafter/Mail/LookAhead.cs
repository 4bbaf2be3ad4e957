namespace ReplyDrafter.Mail;

/// <summary>
/// Where the next quoted and the next unquoted non-blank line are, for positions asked in increasing order. Each
/// answer is remembered until the position passes it, so a body full of attributions is scanned once in all (linear)
/// and no per-line table is kept (a huge body of short lines would double its memory).
/// </summary>
internal sealed class LookAhead(string[] lines, int end)
{
    private int _quoted = -1;
    private int _text = -1;

    /// <summary>Lines looked at by all scans so far.</summary>
    public long LinesScanned { get; private set; }

    /// <summary>The first quoted line at or after <paramref name="from"/>, or the end.</summary>
    public int NextQuoted(int from)
    {
        if (_quoted < from)
        {
            _quoted = Scan(from, quoted: true);
        }

        return _quoted;
    }

    /// <summary>The first unquoted, non-blank line at or after <paramref name="from"/>, or the end.</summary>
    public int NextText(int from)
    {
        if (_text < from)
        {
            _text = Scan(from, quoted: false);
        }

        return _text;
    }

    private int Scan(int from, bool quoted)
    {
        for (var i = from; i < end; i++)
        {
            LinesScanned++;
            var line = lines[i].AsSpan().Trim();
            var isQuoted = line.StartsWith(">", StringComparison.Ordinal);
            if (quoted ? isQuoted : !isQuoted && line.Length > 0)
            {
                return i;
            }
        }

        return end;
    }
}
