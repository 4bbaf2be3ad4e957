using System.Net;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Imap;

/// <summary>Checks <c>ReplyDrafter:Imap</c> at start; each message names the key (never a password).</summary>
internal sealed class ImapOptionsValidator : IValidateOptions<ImapOptions>
{
    private const string Prefix = ImapOptions.Section + ":";
    private const long MinResponseBytes = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ImapOptions options)
    {
        var problems = Check(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Check(ImapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            yield break;
        }

        if (options.Port is < 0 or > 65535)
        {
            yield return $"{Prefix}Port must be from 1 to 65535, or 0 for the usual port (got {options.Port}).";
        }

        if (!Enum.IsDefined(options.Security) || options.Security == SecureSocketOptions.StartTlsWhenAvailable)
        {
            yield return $"{Prefix}Security must be Auto, SslOnConnect, StartTls or None (got '{options.Security}').";
        }
        else if (options.Security == SecureSocketOptions.None && !IsLoopback(options.Host))
        {
            yield return $"{Prefix}Security None sends the password in clear; it is allowed only for a loopback host (got '{options.Host}'). Use SslOnConnect or StartTls.";
        }

        if (string.IsNullOrWhiteSpace(options.Username))
        {
            yield return $"{Prefix}Username must be set when {Prefix}Host is.";
        }

        if (!Enum.IsDefined(options.Auth))
        {
            yield return $"{Prefix}Auth must be Password or OAuth2 (got '{options.Auth}').";
        }
        else if (options.Auth == ImapAuth.OAuth2)
        {
            foreach (var problem in Auth.OAuthOptionsValidator.Check(options.OAuth, Prefix + "OAuth:"))
            {
                yield return problem;
            }
        }

        bool hasPassword = !string.IsNullOrEmpty(options.Password);
        bool hasFile = !string.IsNullOrWhiteSpace(options.PasswordFile);
        if (options.Auth == ImapAuth.OAuth2 && (hasPassword || hasFile))
        {
            yield return $"{Prefix}{(hasFile ? "PasswordFile" : "Password")} is set but {Prefix}Auth is OAuth2, which logs in with the token from `replydrafter login`; remove it (or set {Prefix}Auth to Password).";
        }
        else if (hasPassword && hasFile)
        {
            yield return $"{Prefix}Password and {Prefix}PasswordFile are both set; keep one.";
        }
        else if (!hasPassword && !hasFile && options.Auth != ImapAuth.OAuth2)
        {
            yield return $"{Prefix}Password (or {Prefix}PasswordFile, or the ReplyDrafter__Imap__Password environment variable) must be set when {Prefix}Host is.";
        }
        else if (hasFile && !File.Exists(options.PasswordFile))
        {
            yield return $"{Prefix}PasswordFile '{options.PasswordFile}' does not exist.";
        }

        if (WatchedDrafts(options) is { } drafts)
        {
            yield return $"{Prefix}Folders must not include the Drafts folder '{drafts}': ReplyDrafter's own drafts are never input. Remove it (a Gmail set-up watches INBOX, not [Gmail]/All Mail).";
        }

        if (options.MaxResponseBytes < MinResponseBytes)
        {
            yield return $"{Prefix}MaxResponseBytes must be at least {MinResponseBytes} (1 MB; got {options.MaxResponseBytes}).";
        }

        if (options.Since <= TimeSpan.Zero)
        {
            yield return $"{Prefix}Since must be a positive time span such as 7.00:00:00 (got '{options.Since}').";
        }

        if (options.PollInterval < TimeSpan.FromSeconds(1))
        {
            yield return $"{Prefix}PollInterval must be at least 00:00:01 (got '{options.PollInterval}').";
        }

        if (options.ReconnectDelay <= TimeSpan.Zero)
        {
            yield return $"{Prefix}ReconnectDelay must be a positive time span (got '{options.ReconnectDelay}').";
        }

        if (options.ReconnectMaxDelay < options.ReconnectDelay)
        {
            yield return $"{Prefix}ReconnectMaxDelay must not be shorter than {Prefix}ReconnectDelay (got '{options.ReconnectMaxDelay}').";
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedCertificateSha256) && CertificatePin.Parse(options.TrustedCertificateSha256) is null)
        {
            yield return $"{Prefix}TrustedCertificateSha256 must be 64 hex digits (colons and spaces allowed), the SHA-256 of the server's certificate.";
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host.Trim(), "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim(), out var address) && IPAddress.IsLoopback(address));

    /// <summary>The usual names of a Drafts folder, refused among the watched folders when <see cref="ImapOptions.DraftsFolder"/> is not set.</summary>
    private static readonly string[] s_draftsNames = ["Drafts", "INBOX.Drafts", "INBOX/Drafts", "[Gmail]/Drafts", "[Google Mail]/Drafts"];

    /// <summary>The watched folder that is the Drafts folder by name (the server's \Drafts mark is checked once connected).</summary>
    private static string? WatchedDrafts(ImapOptions options)
    {
        var drafts = string.IsNullOrWhiteSpace(options.DraftsFolder) ? s_draftsNames : [options.DraftsFolder.Trim()];
        return options.WatchedFolders.FirstOrDefault(f => drafts.Contains(f, StringComparer.OrdinalIgnoreCase));
    }
}
