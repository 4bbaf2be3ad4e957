using System.Buffers;
using System.Globalization;
using System.Text;

namespace ReplyDrafter.Mail;

/// <summary>
/// Repairs text whose UTF-8 bytes were decoded as Windows-1252 (or Latin-1) or as Mac Roman, once or twice:
/// "Ã©" → "é", "â€™" → "’", "ðŸ“…" → "📅", "√©" → "é", "üìÖ" → "📅".
/// </summary>
/// <remarks>
/// Each non-ASCII character is mapped back to its byte in the candidate code page; only where those bytes form one
/// complete, well-formed UTF-8 sequence whose character is plausible in real text is the sequence replaced. Genuine
/// accented text ("café", "Größe", "¿Qué?", "√2 ≈ 1.41") does not form such sequences, so it is left alone.
/// </remarks>
internal static class Mojibake
{
    private const int MaxPasses = 4;

    // Windows-1252 leaves these bytes undefined; decoders turn them into C1 controls or drop them.
    private static readonly byte[] UndefinedWindows1252Bytes = [0x8F, 0x9D, 0x81, 0x8D, 0x90];

    private static readonly CodePageMap Windows1252 = CodePageMap.Create(TextEncodings.Windows1252, isMacRoman: false);
    private static readonly CodePageMap MacRoman = CodePageMap.Create(TextEncodings.MacRoman, isMacRoman: true);

    public static string Repair(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Most mail is plain ASCII, which holds no mojibake: one vectorized scan instead of the loop below.
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        StringBuilder? output = null;
        var copiedUpTo = 0;
        for (var i = 0; i < text.Length;)
        {
            if (text[i] < 0x80)
            {
                i++;
                continue;
            }

            // Mojibake of a UTF-8 sequence is made of non-ASCII characters only, so runs of them are repaired alone.
            var runEnd = i;
            while (runEnd < text.Length && text[runEnd] >= 0x80)
            {
                runEnd++;
            }

            var run = text[i..runEnd];
            var repaired = RepairRun(run);
            if (!string.Equals(repaired, run, StringComparison.Ordinal))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copiedUpTo, i - copiedUpTo).Append(repaired);
                copiedUpTo = runEnd;
            }

            i = runEnd;
        }

        return output is null ? text : output.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    /// <summary>
    /// Repairs one run, pass after pass (double encoding). Intermediate passes may yield C1 controls (the middle
    /// stage of a double round trip); a result that still holds new ones is rejected for the strict repair.
    /// </summary>
    private static string RepairRun(string run)
    {
        var lenient = Iterate(run, allowControls: true);
        if (!HasNewControls(run, lenient))
        {
            return lenient;
        }

        return Iterate(run, allowControls: false);
    }

    private static string Iterate(string run, bool allowControls)
    {
        var current = run;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var (windows, windowsScore) = RepairWith(current, Windows1252, allowControls);
            var (mac, macScore) = RepairWith(current, MacRoman, allowControls);
            if (windowsScore == 0 && macScore == 0)
            {
                break;
            }

            // The code page that explains more of the run is the one it went through.
            current = macScore > windowsScore ? mac : windows;
        }

        return current;
    }

    private static bool HasNewControls(string original, string repaired)
    {
        foreach (var c in repaired)
        {
            if (char.IsControl(c) && !original.Contains(c, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces every decodable sequence; the score is how many characters were explained.</summary>
    private static (string Text, int Score) RepairWith(string text, CodePageMap map, bool allowControls)
    {
        var output = new StringBuilder(text.Length);
        var score = 0;
        var sequences = 0;
        var weakMacSequences = 0;
        Span<byte> bytes = stackalloc byte[4];

        for (var i = 0; i < text.Length;)
        {
            if (!map.TryGetByte(text[i], out var lead))
            {
                output.Append(text[i]);
                i++;
                continue;
            }

            var length = SequenceLength(lead);
            var skipLead = false;
            if (length == 0 && map.IsMacRoman && lead == 0x9F)
            {
                // Mac Roman's 0xF0 is the Apple logo, a private-use character that tools often drop: "üìÖ" for 📅.
                bytes[0] = 0xF0;
                skipLead = true;
                length = 4;
            }

            if (length < 2)
            {
                output.Append(text[i]);
                i++;
                continue;
            }

            var present = 1;
            if (skipLead)
            {
                bytes[1] = lead;
                present = 2;
            }
            else
            {
                bytes[0] = lead;
            }

            var consumedChars = 1;
            while (present < length && i + consumedChars < text.Length
                && map.TryGetByte(text[i + consumedChars], out var next) && next is >= 0x80 and <= 0xBF)
            {
                bytes[present] = next;
                present++;
                consumedChars++;
            }

            string? replacement = null;
            if (present == length)
            {
                replacement = Decode(bytes[..length], allowControls);
                if (replacement is not null && skipLead && !IsLikelyEmoji(Rune.GetRuneAt(replacement, 0)))
                {
                    replacement = null;
                }

                if (replacement is not null && map.IsMacRoman && length == 2 && replacement[0] > 0x017F)
                {
                    weakMacSequences++;
                }
            }
            else if (!map.IsMacRoman && !skipLead && length >= 3 && present == length - 1 && i + consumedChars == text.Length)
            {
                replacement = DecodeWithMissingByte(bytes[..present], length);
            }

            if (replacement is null)
            {
                output.Append(text[i]);
                i++;
                continue;
            }

            output.Append(replacement);
            score += consumedChars;
            sequences++;
            i += consumedChars;
        }

        // Mac Roman's high half is full of ordinary letters and quotes: a lone two-byte sequence beyond Latin
        // ("’é" in "l’été", "«é" in "«école»") is taken for real text; a chain of them ("–ü—Ä–∏") is mojibake.
        if (weakMacSequences > 0 && sequences < 2)
        {
            return (text, 0);
        }

        return (output.ToString(), score);
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    private static string? Decode(ReadOnlySpan<byte> bytes, bool allowControls)
    {
        if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != OperationStatus.Done || consumed != bytes.Length)
        {
            return null;
        }

        return IsPlausible(rune) || (allowControls && rune.Value is >= 0x80 and <= 0x9F) ? rune.ToString() : null;
    }

    /// <summary>
    /// Windows-1252 drops its undefined bytes; where a 3- or 4-byte sequence ends the run one byte short, try each.
    /// Only a right double quote or an emoji is trusted: "â€" → ”, "â«" → ⏫.
    /// </summary>
    private static string? DecodeWithMissingByte(ReadOnlySpan<byte> present, int length)
    {
        Span<byte> candidate = stackalloc byte[4];
        string? emoji = null;
        for (var gap = 1; gap < length; gap++)
        {
            foreach (var missing in UndefinedWindows1252Bytes)
            {
                present[..gap].CopyTo(candidate);
                candidate[gap] = missing;
                present[gap..].CopyTo(candidate[(gap + 1)..]);
                if (Rune.DecodeFromUtf8(candidate[..length], out var rune, out var consumed) != OperationStatus.Done
                    || consumed != length)
                {
                    continue;
                }

                if (rune.Value == 0x201D)
                {
                    return rune.ToString();
                }

                if (IsLikelyEmoji(rune))
                {
                    emoji ??= rune.ToString();
                }
            }
        }

        return emoji;
    }

    private static bool IsPlausible(Rune rune)
    {
        var value = rune.Value;

        // Joiners and variation selectors live inside emoji sequences, combining accents in decomposed text,
        // soft hyphens in hyphenated words; ˆ and ˜ are Windows-1252 characters (the middle of a double round trip).
        if (value is 0x200D or 0x200C or 0xFE0F or 0xFE0E or 0x00AD or 0x02C6 or 0x02DC or (>= 0x0300 and <= 0x036F))
        {
            return true;
        }

        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
        {
            return false;
        }

        return value switch
        {
            >= 0x00A0 and <= 0x024F => true, // Latin-1 Supplement, Latin Extended-A/B
            >= 0x0370 and <= 0x052F => true, // Greek, Cyrillic
            >= 0x05D0 and <= 0x05F4 => true, // Hebrew letters
            >= 0x0600 and <= 0x06FF => true, // Arabic
            >= 0x0900 and <= 0x0E7F => true, // Indic scripts, Thai
            >= 0x1E00 and <= 0x1FFF => true, // Latin Extended Additional (Vietnamese), Greek Extended
            >= 0x2000 and <= 0x2BFF => true, // punctuation, currency, letterlike, arrows, math, technical, symbols
            >= 0x3000 and <= 0x9FFF => true, // CJK
            >= 0xAC00 and <= 0xD7A3 => true, // Hangul
            >= 0xFE30 and <= 0xFFEF => true, // CJK compatibility forms, full-width forms
            >= 0x1F000 and <= 0x1FAFF => true, // emoji and pictographs
            _ => false,
        };
    }

    private static bool IsLikelyEmoji(Rune rune) => rune.Value switch
    {
        0x231A or 0x231B or 0x2328 or 0x23CF => true,
        >= 0x23E9 and <= 0x23FA => true, // ⏩ ⏫ ⏬ ⏰ ⏳ ...
        >= 0x2600 and <= 0x26FF => true, // misc symbols: ☀ ⚠ ⚡ ⛔
        0x2702 or 0x2705 or 0x2708 or 0x2709 or 0x270A or 0x270B or 0x270F or 0x2712 or 0x2714 or 0x2716
            or 0x2728 or 0x2733 or 0x2734 or 0x2744 or 0x2747 or 0x274C or 0x274E or 0x2753 or 0x2754 or 0x2755
            or 0x2757 or 0x2763 or 0x2764 or 0x2795 or 0x2796 or 0x2797 or 0x27A1 or 0x27B0 or 0x27BF => true,
        0x2B50 or 0x2B55 or 0x2B1B or 0x2B1C or 0x2049 or 0x203C => true,
        0x1F004 or 0x1F0CF => true,
        >= 0x1F170 and <= 0x1F251 => true, // enclosed letters and ideographs
        >= 0x1F300 and <= 0x1FAFF => true, // pictographs, emoticons, transport, supplemental symbols
        _ => false,
    };

    private sealed class CodePageMap
    {
        private readonly Dictionary<char, byte> _bytes;

        private CodePageMap(Dictionary<char, byte> bytes, bool isMacRoman)
        {
            _bytes = bytes;
            IsMacRoman = isMacRoman;
        }

        public bool IsMacRoman { get; }

        public static CodePageMap Create(Encoding encoding, bool isMacRoman)
        {
            var bytes = new Dictionary<char, byte>();
            if (!isMacRoman)
            {
                // Latin-1 decoders (and Windows-1252 decoders for its undefined bytes) yield C1 controls.
                for (var b = 0x80; b <= 0x9F; b++)
                {
                    bytes[(char)b] = (byte)b;
                }
            }

            for (var b = 0x80; b <= 0xFF; b++)
            {
                var text = encoding.GetString([(byte)b]);
                if (text.Length == 1 && text[0] != '\uFFFD')
                {
                    bytes[text[0]] = (byte)b;
                }
            }

            return new CodePageMap(bytes, isMacRoman);
        }

        public bool TryGetByte(char c, out byte value)
        {
            if (c < 0x80)
            {
                value = 0;
                return false;
            }

            return _bytes.TryGetValue(c, out value);
        }
    }
}
