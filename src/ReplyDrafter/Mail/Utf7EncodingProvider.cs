using System.Text;

namespace ReplyDrafter.Mail;

/// <summary>
/// Hands out a UTF-7 decoder for the MIME labels "utf-7" and "unicode-1-1-utf-7" (code page 65000), for Outlook
/// 2000-era bodies and encoded words.
/// </summary>
/// <remarks>
/// Since .NET 5, <see cref="Encoding.GetEncoding(string)"/> refuses UTF-7 even from a registered provider (it drops
/// any encoding whose code page is 65000) unless the process-wide switch System.Text.Encoding.EnableUnsafeUTF7Encoding
/// is set. That switch would also let charset detection and every other caller pick UTF-7; instead this provider
/// answers with a wrapper around <see cref="UTF7Encoding"/> that reports a private code page, so only labels that say
/// UTF-7 get it. Decoding is what mail needs; UTF-7's risk lies in producing it, and nothing here writes mail.
/// </remarks>
internal sealed class Utf7EncodingProvider : EncodingProvider
{
    /// <summary>The code page the wrapper reports: not 65000 (which .NET filters), and not used by any other encoding.</summary>
    internal const int PrivateCodePage = 65007;

    private const int Utf7CodePage = 65000;

    public static Utf7EncodingProvider Instance { get; } = new();

    private static readonly Utf7ReadingEncoding Utf7 = new();

    public override Encoding? GetEncoding(int codepage) => codepage is Utf7CodePage or PrivateCodePage ? Utf7 : null;

    public override Encoding? GetEncoding(string name) =>
        name.Trim().ToUpperInvariant() is "UTF-7" or "UTF7" or "UNICODE-1-1-UTF-7" or "CSUNICODE11UTF7" or "X-UNICODE-2-0-UTF-7"
            ? Utf7
            : null;

    /// <summary>UTF-7 under a private code page; every operation delegates to .NET's <see cref="UTF7Encoding"/>.</summary>
    private sealed class Utf7ReadingEncoding : Encoding
    {
#pragma warning disable SYSLIB0001 // UTF-7 is obsolete for producing text; reading archived mail still needs it.
        private readonly UTF7Encoding _inner = new(allowOptionals: true);
#pragma warning restore SYSLIB0001

        public Utf7ReadingEncoding()
            : base(PrivateCodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)
        {
        }

        public override string WebName => "utf-7";

        public override string EncodingName => "Unicode (UTF-7)";

        public override int GetByteCount(char[] chars, int index, int count) => _inner.GetByteCount(chars, index, count);

        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
            _inner.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

        public override int GetCharCount(byte[] bytes, int index, int count) => _inner.GetCharCount(bytes, index, count);

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
            _inner.GetChars(bytes, byteIndex, byteCount, chars, charIndex);

        public override Decoder GetDecoder() => _inner.GetDecoder();

        public override Encoder GetEncoder() => _inner.GetEncoder();

        public override int GetMaxByteCount(int charCount) => _inner.GetMaxByteCount(charCount);

        public override int GetMaxCharCount(int byteCount) => _inner.GetMaxCharCount(byteCount);
    }
}
