using System.Text;

namespace ReplyDrafter.Mail;

/// <summary>
/// ISO-8859-10, -11, -14 and -16, which .NET's code-pages provider lacks (it has 1-9, 13 and 15): single-byte
/// tables for the upper half (0xA0-0xFF; the lower half is ASCII and C1 controls), so mail in Nordic, Thai, Celtic
/// and South-Eastern European charsets decodes in bodies, encoded words and RFC 2231 parameters alike.
/// </summary>
internal sealed class IsoLatinEncodingProvider : EncodingProvider
{
    private static readonly Dictionary<int, SingleByteEncoding> ByCodePage = new()
    {
        [28600] = new("iso-8859-10", 28600, "\u00A0\u0104\u0112\u0122\u012A\u0128\u0136\u00A7\u013B\u0110\u0160\u0166\u017D\u00AD\u016A\u014A\u00B0\u0105\u0113\u0123\u012B\u0129\u0137\u00B7\u013C\u0111\u0161\u0167\u017E\u2015\u016B\u014B\u0100\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u012E\u010C\u00C9\u0118\u00CB\u0116\u00CD\u00CE\u00CF\u00D0\u0145\u014C\u00D3\u00D4\u00D5\u00D6\u0168\u00D8\u0172\u00DA\u00DB\u00DC\u00DD\u00DE\u00DF\u0101\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u012F\u010D\u00E9\u0119\u00EB\u0117\u00ED\u00EE\u00EF\u00F0\u0146\u014D\u00F3\u00F4\u00F5\u00F6\u0169\u00F8\u0173\u00FA\u00FB\u00FC\u00FD\u00FE\u0138"),
        [28601] = new("iso-8859-11", 28601, "\u00A0\u0E01\u0E02\u0E03\u0E04\u0E05\u0E06\u0E07\u0E08\u0E09\u0E0A\u0E0B\u0E0C\u0E0D\u0E0E\u0E0F\u0E10\u0E11\u0E12\u0E13\u0E14\u0E15\u0E16\u0E17\u0E18\u0E19\u0E1A\u0E1B\u0E1C\u0E1D\u0E1E\u0E1F\u0E20\u0E21\u0E22\u0E23\u0E24\u0E25\u0E26\u0E27\u0E28\u0E29\u0E2A\u0E2B\u0E2C\u0E2D\u0E2E\u0E2F\u0E30\u0E31\u0E32\u0E33\u0E34\u0E35\u0E36\u0E37\u0E38\u0E39\u0E3A\uFFFD\uFFFD\uFFFD\uFFFD\u0E3F\u0E40\u0E41\u0E42\u0E43\u0E44\u0E45\u0E46\u0E47\u0E48\u0E49\u0E4A\u0E4B\u0E4C\u0E4D\u0E4E\u0E4F\u0E50\u0E51\u0E52\u0E53\u0E54\u0E55\u0E56\u0E57\u0E58\u0E59\u0E5A\u0E5B\uFFFD\uFFFD\uFFFD\uFFFD"),
        [28604] = new("iso-8859-14", 28604, "\u00A0\u1E02\u1E03\u00A3\u010A\u010B\u1E0A\u00A7\u1E80\u00A9\u1E82\u1E0B\u1EF2\u00AD\u00AE\u0178\u1E1E\u1E1F\u0120\u0121\u1E40\u1E41\u00B6\u1E56\u1E81\u1E57\u1E83\u1E60\u1EF3\u1E84\u1E85\u1E61\u00C0\u00C1\u00C2\u00C3\u00C4\u00C5\u00C6\u00C7\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF\u0174\u00D1\u00D2\u00D3\u00D4\u00D5\u00D6\u1E6A\u00D8\u00D9\u00DA\u00DB\u00DC\u00DD\u0176\u00DF\u00E0\u00E1\u00E2\u00E3\u00E4\u00E5\u00E6\u00E7\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF\u0175\u00F1\u00F2\u00F3\u00F4\u00F5\u00F6\u1E6B\u00F8\u00F9\u00FA\u00FB\u00FC\u00FD\u0177\u00FF"),
        [28606] = new("iso-8859-16", 28606, "\u00A0\u0104\u0105\u0141\u20AC\u201E\u0160\u00A7\u0161\u00A9\u0218\u00AB\u0179\u00AD\u017A\u017B\u00B0\u00B1\u010C\u0142\u017D\u201D\u00B6\u00B7\u017E\u010D\u0219\u00BB\u0152\u0153\u0178\u017C\u00C0\u00C1\u00C2\u0102\u00C4\u0106\u00C6\u00C7\u00C8\u00C9\u00CA\u00CB\u00CC\u00CD\u00CE\u00CF\u0110\u0143\u00D2\u00D3\u00D4\u0150\u00D6\u015A\u0170\u00D9\u00DA\u00DB\u00DC\u0118\u021A\u00DF\u00E0\u00E1\u00E2\u0103\u00E4\u0107\u00E6\u00E7\u00E8\u00E9\u00EA\u00EB\u00EC\u00ED\u00EE\u00EF\u0111\u0144\u00F2\u00F3\u00F4\u0151\u00F6\u015B\u0171\u00F9\u00FA\u00FB\u00FC\u0119\u021B\u00FF"),
    };

    public static IsoLatinEncodingProvider Instance { get; } = new();

    public override Encoding? GetEncoding(int codepage) => ByCodePage.GetValueOrDefault(codepage);

    public override Encoding? GetEncoding(string name)
    {
        var label = name.Trim().ToUpperInvariant().Replace('_', '-');
        if (label.StartsWith("ISO8859-", StringComparison.Ordinal))
        {
            label = "ISO-8859-" + label["ISO8859-".Length..];
        }

        return label switch
        {
            "ISO-8859-10" or "LATIN6" or "ISO-IR-157" or "L6" => ByCodePage[28600],
            "ISO-8859-11" or "TIS-620" => ByCodePage[28601],
            "ISO-8859-14" or "LATIN8" or "ISO-IR-199" or "L8" => ByCodePage[28604],
            "ISO-8859-16" or "LATIN10" or "ISO-IR-226" or "L10" => ByCodePage[28606],
            _ => null,
        };
    }

    /// <summary>A table-driven single-byte encoding; unmapped bytes decode to U+FFFD, unmappable characters encode to '?'.</summary>
    private sealed class SingleByteEncoding : Encoding
    {
        private readonly string _upper;
        private readonly Dictionary<char, byte> _reverse = [];

        public SingleByteEncoding(string webName, int codePage, string upper)
            : base(codePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
        {
            WebName = webName;
            _upper = upper;
            for (var i = 0; i < upper.Length; i++)
            {
                if (upper[i] != '\uFFFD')
                {
                    _reverse[upper[i]] = (byte)(0xA0 + i);
                }
            }
        }

        public override string WebName { get; }

        public override string EncodingName => WebName;

        public override bool IsSingleByte => true;

        public override int GetByteCount(char[] chars, int index, int count) => count;

        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
        {
            for (var i = 0; i < charCount; i++)
            {
                var c = chars[charIndex + i];
                bytes[byteIndex + i] = c < 0xA0 ? (byte)c : _reverse.TryGetValue(c, out var b) ? b : (byte)'?';
            }

            return charCount;
        }

        public override int GetCharCount(byte[] bytes, int index, int count) => count;

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
        {
            for (var i = 0; i < byteCount; i++)
            {
                var b = bytes[byteIndex + i];
                chars[charIndex + i] = b < 0xA0 ? (char)b : _upper[b - 0xA0];
            }

            return byteCount;
        }

        public override int GetMaxByteCount(int charCount) => charCount;

        public override int GetMaxCharCount(int byteCount) => byteCount;
    }
}
