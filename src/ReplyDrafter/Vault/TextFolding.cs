using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace ReplyDrafter.Vault;

/// <summary>Text normalizations shared by slugs, name matching and markdown rendering.</summary>
internal static class TextFolding
{
    // Latin letters that canonical decomposition leaves alone but that have a conventional ASCII spelling.
    private static readonly FrozenDictionary<char, string> LatinSpecials = new Dictionary<char, string>
    {
        ['ß'] = "ss", ['ẞ'] = "SS", ['æ'] = "ae", ['Æ'] = "AE", ['œ'] = "oe", ['Œ'] = "OE",
        ['ø'] = "o", ['Ø'] = "O", ['đ'] = "d", ['Đ'] = "D", ['ð'] = "d", ['Ð'] = "D",
        ['þ'] = "th", ['Þ'] = "Th", ['ł'] = "l", ['Ł'] = "L", ['ı'] = "i", ['ħ'] = "h", ['Ħ'] = "H",
        ['ŋ'] = "ng", ['Ŋ'] = "NG", ['ĸ'] = "k", ['ſ'] = "s",
    }.ToFrozenDictionary();

    /// <summary>
    /// Strips accents from Latin letters ("Café Größe" → "Cafe Grosse"). Marks on other scripts are part of their
    /// letters (Devanagari vowel signs, Cyrillic й) and are kept, recomposed.
    /// </summary>
    public static string RemoveLatinDiacritics(string text)
    {
        var decomposed = ForNormalization(text).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var previousIsLatin = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
            if (isMark)
            {
                if (!previousIsLatin)
                {
                    builder.Append(c);
                }

                continue;
            }

            if (LatinSpecials.TryGetValue(c, out var replacement))
            {
                builder.Append(replacement);
                previousIsLatin = true;
                continue;
            }

            builder.Append(c);
            previousIsLatin = c < '\u0250' || c is >= '\u1E00' and <= '\u1EFF';
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Every run of whitespace (line breaks included) becomes one space; trimmed.</summary>
    public static string SingleLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>LF line endings only.</summary>
    public static string NormalizeNewlines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>
    /// Text <see cref="string.Normalize()"/> accepts: Unicode non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last
    /// two code points of every plane) removed, lone surrogates replaced by U+FFFD. Normalize throws on both, and one
    /// hostile subject must not stop an inbox.
    /// </summary>
    public static string ForNormalization(string text) => RemoveNonCharacters(ReplaceLoneSurrogates(text));

    /// <summary>Removes Unicode non-characters (U+FDD0–U+FDEF and U+xxFFFE/U+xxFFFF in every plane); surrogate pairs are read as one code point.</summary>
    public static string RemoveNonCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var codePoint = paired ? char.ConvertToUtf32(c, text[i + 1]) : c;
            var width = paired ? 2 : 1;
            if (IsNonCharacter(codePoint))
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
            }
            else
            {
                builder?.Append(text, i, width);
            }

            i += width - 1;
        }

        return builder?.ToString() ?? text;
    }

    /// <summary>True for the 66 Unicode non-characters.</summary>
    public static bool IsNonCharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>Unpaired UTF-16 surrogates (which no UTF-8 file can hold) become U+FFFD.</summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (paired)
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
                builder.Append('\uFFFD');
                continue;
            }

            builder?.Append(c);
        }

        return builder?.ToString() ?? text;
    }
}
