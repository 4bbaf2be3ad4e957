using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReplyDrafter.Imap;

/// <summary>
/// Trusts a self-hosted server's own certificate by its SHA-256, on top of normal validation: a chain or name error
/// is forgiven only when the leaf is exactly the pinned certificate. A missing certificate is never accepted.
/// </summary>
internal sealed class CertificatePin(byte[] sha256)
{
    public static CertificatePin? Parse(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex))
        {
            return null;
        }

        var digits = new string(hex.Where(c => c is not (':' or ' ' or '-')).ToArray());
        if (digits.Length != 64)
        {
            return null;
        }

        try
        {
            return new CertificatePin(Convert.FromHexString(digits));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        var leaf = SHA256.HashData(certificate.GetRawCertData());
        return CryptographicOperations.FixedTimeEquals(leaf, sha256);
    }
}
