using System.Text;

namespace ReplyDrafter.Mail;

/// <summary>
/// Hands out UTF-7 for the MIME labels "utf-7" and "unicode-1-1-utf-7" (code page 65000). .NET refuses UTF-7 by
/// name or code page since .NET 5 unless an app-wide switch is set; a provider is consulted first, so mail (Outlook
/// 2000-era bodies and encoded words) can be read without enabling UTF-7 for the whole process by a global switch.
/// </summary>
/// <remarks>Decoding only matters here; UTF-7's risk is in producing it, and nothing in ReplyDrafter writes UTF-7.</remarks>
internal sealed class Utf7EncodingProvider : EncodingProvider
{
    private const int Utf7CodePage = 65000;

    public static Utf7EncodingProvider Instance { get; } = new();

#pragma warning disable SYSLIB0001 // UTF-7 is obsolete for writing; reading archived mail still needs it.
    private static readonly Encoding Utf7 = new UTF7Encoding(allowOptionals: true);
#pragma warning restore SYSLIB0001

    public override Encoding? GetEncoding(int codepage) => codepage == Utf7CodePage ? Utf7 : null;

    public override Encoding? GetEncoding(string name) =>
        name.Trim().ToUpperInvariant() is "UTF-7" or "UTF7" or "UNICODE-1-1-UTF-7" or "CSUNICODE11UTF7" or "X-UNICODE-2-0-UTF-7"
            ? Utf7
            : null;
}
