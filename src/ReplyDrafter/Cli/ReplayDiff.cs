using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace ReplyDrafter.Cli;

/// <summary>A line diff of two markdown bodies: changed lines with a little context, "+" new and "-" old.</summary>
internal static class ReplayDiff
{
    private const int Context = 2;
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    /// <summary>The diff as text, or null when the bodies have the same lines.</summary>
    /// <param name="colour">ANSI colours (a terminal); plain text otherwise.</param>
    public static string? Format(string oldText, string newText, bool colour)
    {
        var lines = InlineDiffBuilder.Diff(Normalize(oldText), Normalize(newText), ignoreWhiteSpace: false, ignoreCase: false).Lines;
        if (!lines.Any(IsChange))
        {
            return null;
        }

        var shown = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsChange(lines[i]))
            {
                for (var j = Math.Max(0, i - Context); j <= Math.Min(lines.Count - 1, i + Context); j++)
                {
                    shown[j] = true;
                }
            }
        }

        var text = new StringBuilder();
        var skipped = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!shown[i])
            {
                skipped = true;
                continue;
            }

            if (skipped || (i > 0 && text.Length == 0))
            {
                text.Append(colour ? Dim + "  …" + Reset : "  …").Append('\n');
            }

            skipped = false;
            var line = lines[i];
            var (prefix, start) = line.Type switch
            {
                ChangeType.Inserted => ("+ ", Green),
                ChangeType.Deleted => ("- ", Red),
                _ => ("  ", null),
            };
            if (colour && start is not null)
            {
                text.Append(start).Append(prefix).Append(Printable(line.Text)).Append(Reset).Append('\n');
            }
            else
            {
                text.Append(prefix).Append(Printable(line.Text)).Append('\n');
            }
        }

        if (skipped)
        {
            text.Append(colour ? Dim + "  …" + Reset : "  …").Append('\n');
        }

        return text.ToString();
    }

    private static bool IsChange(DiffPiece line) => line.Type is ChangeType.Inserted or ChangeType.Deleted or ChangeType.Modified;

    /// <summary>Mail text must not drive the terminal: control characters (an escape sequence in a subject) become "?".</summary>
    internal static string Printable(string? text) =>
        string.Create((text ?? "").Length, text ?? "", static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c != '\t' && (char.IsControl(c) || c is '\u202E' or '\u202D') ? '?' : c;
            }
        });

    private static string Normalize(string text) => Vault.TextFolding.NormalizeNewlines(text);
}
