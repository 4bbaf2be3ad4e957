using System.Runtime.CompilerServices;
using System.Text;
using UtfUnknown;

namespace ReplyDrafter.Mail;

/// <summary>Code pages and charset detection for text whose encoding is declared wrongly or not at all.</summary>
internal static class TextEncodings
{
    public static Encoding Windows1252 { get; } = GetCodePage(1252);

    /// <summary>Mac OS Roman, the encoding of the classic Mac and of some Mac tools' clipboard round trips.</summary>
    public static Encoding MacRoman { get; } = GetCodePage(10000);

    public static UTF8Encoding StrictUtf8 { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Ensures the providers are registered (a no-op after the first call).</summary>
    public static void EnsureRegistered() => RegisterProviders();

    /// <summary>
    /// Registers the code-pages and UTF-7 providers when the assembly loads, before any MimeKit call. MimeKit caches
    /// each charset lookup: a message parsed before registration (e.g. by a caller that touches MimeKit first) made
    /// EUC-KR, ISO-2022-JP, Shift_JIS, GB2312 and Big5 "unknown" for the life of the process, so their encoded words
    /// fell back to Windows-1252 (Latin-1 look-alikes, raw ESC sequences) while bodies, decoded here, were right.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "An application assembly: the providers must be in place before any MimeKit charset lookup is cached.")]
    internal static void RegisterProviders()
    {
        // Registering the same instance again is a no-op.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Encoding.RegisterProvider(Utf7EncodingProvider.Instance);
        Encoding.RegisterProvider(IsoLatinEncodingProvider.Instance);
    }

    /// <summary>True when <paramref name="charset"/> names an encoding this process can decode.</summary>
    public static bool IsKnownCharset(string? charset) => FromCharsetName(charset) is not null;

    /// <summary>An encoding by MIME charset name, or null when the label is unknown or bogus.</summary>
    public static Encoding? FromCharsetName(string? charset)
    {
        EnsureRegistered();
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        var name = charset.Trim().Trim('"', '\'');
        try
        {
            var encoding = Encoding.GetEncoding(name);

            // ISO-8859-1 and US-ASCII labels are routinely used for Windows-1252 text (WHATWG treats them as such).
            return encoding.CodePage is 28591 or 20127 ? Windows1252 : encoding;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Decodes bytes of unknown encoding: BOM, then valid UTF-8, then statistical detection, then Windows-1252.</summary>
    public static string DecodeUnknown(ReadOnlySpan<byte> bytes)
    {
        EnsureRegistered();
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return Encoding.UTF32.GetString(bytes[4..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        if (IsValidUtf8(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        return Detect(bytes).GetString(bytes);
    }

    /// <summary>True when the bytes are well-formed UTF-8; a sequence cut off at the very end is tolerated.</summary>
    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData)
            {
                return true;
            }

            if (status != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            index += consumed;
        }

        return true;
    }

    private static Encoding Detect(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var detected = CharsetDetector.DetectFromBytes(bytes.ToArray()).Detected;
            if (detected?.Encoding is { } encoding && detected.Confidence >= 0.5f
                && encoding.CodePage is not (65001 or 1200 or 1201 or 12000 or 12001))
            {
                // Latin-1 guesses are better served by its superset, Windows-1252.
                return encoding.CodePage is 28591 or 20127 ? Windows1252 : encoding;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // Detection is a best guess; any failure falls through to the common Western default.
        }

        return Windows1252;
    }

    private static Encoding GetCodePage(int codePage)
    {
        // .NET only knows UTF-*, ASCII and Latin-1 until the code-pages provider is registered (idempotent).
        RegisterProviders();
        return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
    }
}
