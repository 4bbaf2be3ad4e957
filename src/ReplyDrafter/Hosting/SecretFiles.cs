using Microsoft.Extensions.Configuration;

namespace ReplyDrafter.Hosting;

/// <summary>
/// Secrets kept in files (systemd credentials, Docker secrets): <c>ReplyDrafter:Llm:ApiKeyFile</c> and
/// <c>ReplyDrafter:Imap:PasswordFile</c> fill <c>ApiKey</c> / <c>Password</c> when those are empty.
/// </summary>
internal static class SecretFiles
{
    /// <summary>(the key naming the file, the key it fills).</summary>
    public static readonly IReadOnlyList<(string FileKey, string ValueKey)> Pairs =
    [
        ("ReplyDrafter:Llm:ApiKeyFile", "ReplyDrafter:Llm:ApiKey"),
        ("ReplyDrafter:Imap:PasswordFile", "ReplyDrafter:Imap:Password"),
    ];

    /// <summary>
    /// The values to add for every pair whose value is empty and whose file is named. A relative file name is looked up
    /// in <c>$CREDENTIALS_DIRECTORY</c> (systemd <c>LoadCredential=</c>) when that is set.
    /// </summary>
    /// <exception cref="UsageException">naming the key, when a named file is missing or unreadable.</exception>
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

            var path = !Path.IsPathRooted(file) && !string.IsNullOrEmpty(credentialsDirectory)
                ? Path.Combine(credentialsDirectory, file)
                : Path.GetFullPath(file);
            try
            {
                // One trailing newline is what `echo key > file` leaves; the secret itself never has one.
                values[valueKey] = File.ReadAllText(path).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                throw new UsageException($"{fileKey}: cannot read '{path}' ({Reason(e)}).");
            }

            if (string.IsNullOrEmpty(values[valueKey]))
            {
                throw new UsageException($"{fileKey}: '{path}' is empty.");
            }
        }

        return values;
    }

    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}

