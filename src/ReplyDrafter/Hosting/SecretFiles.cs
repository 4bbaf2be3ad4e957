using Microsoft.Extensions.Configuration;
using ReplyDrafter.Security;

namespace ReplyDrafter.Hosting;

/// <summary>
/// Secrets kept in files (systemd credentials, Docker secrets): <c>ReplyDrafter:Llm:ApiKeyFile</c> fills <c>ApiKey</c>
/// and <c>ReplyDrafter:Imap:PasswordFile</c> is checked, when <c>ApiKey</c> / <c>Password</c> are empty. The rules a
/// file must meet are <see cref="SecretFile"/>'s.
/// </summary>
internal static class SecretFiles
{
    /// <summary>(the key naming the file, the key it stands for).</summary>
    public static readonly IReadOnlyList<(string FileKey, string ValueKey)> Pairs =
    [
        ("ReplyDrafter:Llm:ApiKeyFile", "ReplyDrafter:Llm:ApiKey"),
        ("ReplyDrafter:Imap:PasswordFile", "ReplyDrafter:Imap:Password"),
    ];

    private const string ImapPasswordFile = "ReplyDrafter:Imap:PasswordFile";

    /// <summary>
    /// The values to add for every pair whose value is empty and whose file is named: the API key itself; for IMAP the
    /// file's absolute path (the password is read again at every login, so a rotated credential is picked up).
    /// </summary>
    /// <exception cref="UsageException">naming the key, the file and what is wrong with it.</exception>
    public static Dictionary<string, string?> Resolve(IConfiguration configuration, string? credentialsDirectory)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (fileKey, valueKey) in Pairs)
        {
            var file = configuration[fileKey];
            if (string.IsNullOrWhiteSpace(file) || !string.IsNullOrEmpty(configuration[valueKey]))
            {
                continue;
            }

            var path = SecretFile.Locate(file, credentialsDirectory);
            if (!SecretFile.TryRead(path, credentialsDirectory, out var secret, out var problem))
            {
                throw new UsageException($"{fileKey}: cannot use '{path}' ({problem}).");
            }

            if (string.Equals(fileKey, ImapPasswordFile, StringComparison.Ordinal))
            {
                values[fileKey] = path;
            }
            else
            {
                values[valueKey] = secret;
            }
        }

        return values;
    }
}
