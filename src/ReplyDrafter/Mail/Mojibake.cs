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
    private const int MaxPasses = 3;

    // Windows-1252 leaves these bytes undefined; decoders turn them into C1 controls or drop them.
    private static readonly byte[] UndefinedWindows1252Bytes = [0x8F, 0x9D, 0x81, 0x8D, 0x90];

    private static readonly CodePageMap Windows1252 = CodePageMap.Create(TextEncodings.Windows1252, isMacRoman: false);
    private static readonly CodePageMap MacRoman = CodePageMap.Create(TextEncodings.MacRoman, isMacRoman: true);

    public static string Repair(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = text;
        for (var pass = 0; pass < MaxPasses && HasNonAscii(current); pass++)
        {
            var repaired = RepairWith(RepairWith(current, Windows1252), MacRoman);
            if (string.Equals(repaired, current, StringComparison.Ordinal))
            {
                break;
            }

            current = repaired;
        }

        return current;
    }

    private static bool HasNonAscii(string text) => text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F');

    private static string RepairWith(string text, CodePageMap map)
    {
        StringBuilder? output = null;
        var copiedUpTo = 0;
        Span<byte> bytes = stackalloc byte[4];

        for (var i = 0; i < text.Length;)
        {
            if (!map.TryGetByte(text[i], out var lead) || SequenceLength(lead) is not (> 1 and var length))
            {
                i++;
                continue;
            }

            bytes[0] = lead;
            var present = 1;
            while (present < length && i + present < text.Length
                && map.TryGetByte(text[i + present], out var next) && next is >= 0x80 and <= 0xBF)
            {
                bytes[present] = next;
                present++;
            }

            string? replacement = null;
            if (present == length)
            {
                replacement = Decode(bytes[..length], map);
            }
            else if (!map.IsMacRoman && length >= 3 && present == length - 1)
            {
                replacement = DecodeWithMissingByte(bytes[..present], length);
            }

            if (replacement is null)
            {
                i++;
                continue;
            }

            output ??= new StringBuilder(text.Length);
            output.Append(text, copiedUpTo, i - copiedUpTo).Append(replacement);
            i += present;
            copiedUpTo = i;
        }

        return output is null ? text : output.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    private static int SequenceLength(byte lead) => lead switch
    {
        >= 0xC2 and <= 0xDF => 2,
        >= 0xE0 and <= 0xEF => 3,
        >= 0xF0 and <= 0xF4 => 4,
        _ => 0,
    };

    private static string? Decode(ReadOnlySpan<byte> bytes, CodePageMap map)
    {
        if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != OperationStatus.Done || consumed != bytes.Length)
        {
            return null;
        }

        // Mac Roman's high half is full of ordinary letters and quotes, so a two-byte sequence there ("’é" in
        // "l’été", "«é" in "«école»") is only trusted from the leads ¬ √ ƒ ≈, i.e. when it decodes to U+0080-U+017F.
        if (map.IsMacRoman && bytes.Length == 2 && rune.Value > 0x017F)
        {
            return null;
        }

        return IsPlausible(rune) ? rune.ToString() : null;
    }

    /// <summary>Windows-1252 drops the undefined bytes; try each where a 3- or 4-byte sequence is one byte short.</summary>
    private static string? DecodeWithMissingByte(ReadOnlySpan<byte> present, int length)
    {
        Span<byte> candidate = stackalloc byte[4];
        Rune? fallback = null;
        for (var gap = 1; gap < length; gap++)
        {
            foreach (var missing in UndefinedWindows1252Bytes)
            {
                present[..gap].CopyTo(candidate);
                candidate[gap] = missing;
                present[gap..].CopyTo(candidate[(gap + 1)..]);
                if (Rune.DecodeFromUtf8(candidate[..length], out var rune, out var consumed) != OperationStatus.Done
                    || consumed != length || !IsPlausible(rune))
                {
                    continue;
                }

                if (IsLikelyEmoji(rune))
                {
                    return rune.ToString();
                }

                fallback ??= rune;
            }
        }

        // Without an emoji the guess is too weak for three-byte characters: "â«" could be many things.
        return fallback is { } r && length == 4 ? r.ToString() : null;
    }

    private static bool IsPlausible(Rune rune)
    {
        var value = rune.Value;
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
        >= 0x2600 and <= 0x27BF => true, // misc symbols and dingbats: ✅ ❌ ❗ ❤ ➕
        0x2B50 or 0x2B55 or 0x2B1B or 0x2B1C or 0x2049 or 0x203C => true,
        >= 0x1F000 and <= 0x1FAFF => true,
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
