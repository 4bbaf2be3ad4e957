using System.Globalization;
using System.Text;

namespace ReplyDrafter.Tests.Mail;

/// <summary>
/// Builds raw .eml bytes whose Subject, From display name, RFC 2231 attachment name and body are all in one charset,
/// encoded by .NET's own encoders (or given bytes), the way a mail client in that locale writes them.
/// </summary>
internal static class CharsetMailBuilder
{
    static CharsetMailBuilder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static byte[] Encode(string charset, string text) =>
        charset == "utf-7" ? Utf7.GetBytes(text) : Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(text);

#pragma warning disable SYSLIB0001 // The test writes UTF-7 the way old Outlook did, with .NET's own encoder.
    private static readonly Encoding Utf7 = new UTF7Encoding();
#pragma warning restore SYSLIB0001

    /// <summary>A multipart message: Subject and display name as RFC 2047 encoded words, a text body, an attachment named per RFC 2231.</summary>
    public static byte[] Build(string charset, byte[] textBytes, bool quotedPrintableWords = false, bool flowed = false, byte[]? body = null)
    {
        var word = quotedPrintableWords ? $"=?{charset}?Q?{QEncode(textBytes)}?=" : $"=?{charset}?B?{Convert.ToBase64String(textBytes)}?=";
        var percent = string.Concat(textBytes.Select(b => $"%{b:X2}"));
        var raw = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"From: {word} <sender@example.com>\r\n")
            .Append("To: Me <me@example.com>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {word}\r\n")
            .Append("Date: Mon, 01 Dec 2025 10:00:00 +0000\r\n")
            .Append("Message-ID: <charset-test@example.com>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
            .Append("--b1\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: text/plain; charset=\"{charset}\"{(flowed ? "; format=flowed" : "")}\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(body ?? textBytes, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n")
            .Append("--b1\r\n")
            .Append("Content-Type: application/octet-stream\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Disposition: attachment; filename*={charset}''{percent}.txt\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n")
            .Append("AAEC\r\n")
            .Append("--b1--\r\n");
        return Encoding.ASCII.GetBytes(raw.ToString());
    }

    private static string QEncode(byte[] bytes) =>
        string.Concat(bytes.Select(b => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            ? ((char)b).ToString()
            : b == (byte)' ' ? "_" : $"={b:X2}"));
}
