using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;

namespace ReplyDrafter.Learning;

/// <summary>
/// How much of a draft survived into the reply the user sent, from 0 (nothing) to 1 (the same words).
/// </summary>
/// <remarks>
/// Word-level, as <c>2·matched / (draft words + sent words)</c> over the longest common subsequence of words (the
/// ratio Python's difflib reports). Words rather than characters because that is how people edit and judge a draft:
/// rewrapping, extra spaces or a changed letter case are not edits, while a replaced word is one however long it
/// is. Symmetric, so a draft cut in half and a draft doubled score alike. Ideographs and kana count one character a
/// word, since Chinese and Japanese put no spaces between words.
/// </remarks>
internal static class ReplySimilarity
{
    /// <summary>Beyond this many words a text is compared on its first words only, so one huge reply costs little.</summary>
    public const int MaxWords = 5_000;

    public static double Compute(string draft, string sent)
    {
        var a = Words(draft);
        var b = Words(sent);
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        // Words are joined one per line so DiffPlex's Myers diff (O(N·D)) compares whole words.
        var result = Differ.Instance.CreateDiffs(string.Join('\n', a), string.Join('\n', b), ignoreWhiteSpace: false, ignoreCase: false, LineChunker.Instance);
        var changedInDraft = result.DiffBlocks.Sum(block => block.DeleteCountA);
        var matched = a.Length - changedInDraft;
        return Math.Round(2.0 * matched / (a.Length + b.Length), 4);
    }

    /// <summary>Lower-case words: runs of letters and digits (apostrophes kept inside), each CJK character alone.</summary>
    internal static string[] Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (words.Count >= MaxWords)
            {
                break;
            }

            if (IsStandalone(rune))
            {
                Flush();
                words.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune) || (word.Length > 0 && (rune.Value is '\'' or '\u2019')))
            {
                word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return words.Count > MaxWords ? words.GetRange(0, MaxWords).ToArray() : words.ToArray();

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString().TrimEnd('\'', '\u2019'));
                word.Clear();
            }
        }
    }

    private static bool IsStandalone(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter && rune.Value is
            (>= 0x3040 and <= 0x30FF) or // kana
            (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F); // CJK ideographs
}
