using Microsoft.Extensions.Configuration;

namespace ReplyDrafter.Hosting;

/// <summary>
/// The vault's own <c>.replydrafter/settings.json</c>. A vault is synced and shared, so whoever can write into it may
/// write this file: it may hold only the vault's own business, listed in <see cref="Allowed"/>. Anything that decides
/// where mail, keys or passwords go (the LLM, the mailbox, telemetry, logging, the vault itself), whose mail counts as
/// the user's own, or what a run may cost, comes only from the program's appsettings.json, the per-user file, the
/// environment or the command line.
/// </summary>
internal static class VaultSettings
{
    /// <summary>Larger than any settings file a person writes.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>
    /// Every key the vault file may set (compared without regard to case, as configuration does). No arrays, no whole
    /// sections: a key added to the program later is refused here until someone decides it belongs to the vault.
    /// </summary>
    public static readonly IReadOnlySet<string> Allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // Prompt templates: only a folder inside the vault (see Prompts below).
        "ReplyDrafter:Prompts",

        // How drafts sound and are signed; the user reads every draft before sending it.
        "ReplyDrafter:Me:Name",
        "ReplyDrafter:Me:Signature",
        "ReplyDrafter:Me:Style",
        "ReplyDrafter:Me:StyleExamples",

        // Folder names: FolderOptionsValidator keeps each inside the vault. Not State: the vault file is read from it.
        "ReplyDrafter:Folders:Inbox",
        "ReplyDrafter:Folders:Archive",
        "ReplyDrafter:Folders:Failed",
        "ReplyDrafter:Folders:Sources",
        "ReplyDrafter:Folders:Notes",
        "ReplyDrafter:Folders:Outbox",
        "ReplyDrafter:Folders:PromptRecords",

        // Inbox timing (validated ranges); not the size and message-count bounds, which guard memory and spend.
        "ReplyDrafter:Inbox:RescanInterval",
        "ReplyDrafter:Inbox:StableFor",
        "ReplyDrafter:Inbox:OnceLlmWait",
        "ReplyDrafter:Inbox:ShutdownGrace",
        "ReplyDrafter:Inbox:ReadBudget",

        // Learning and draft rendering.
        "ReplyDrafter:Learning:IgnoredAfter",
        "ReplyDrafter:Imap:QuoteOriginal",
    };

    private const string PromptsKey = "ReplyDrafter:Prompts";

    /// <summary>
    /// Reads the vault file once (what is checked is what is used), refuses a key outside <see cref="Allowed"/> and
    /// resolves <c>Prompts</c> inside the vault. Null when there is no file.
    /// </summary>
    /// <exception cref="UsageException">one line naming the key and the file, or the file and what is wrong with it.</exception>
    public static IReadOnlyDictionary<string, string?>? Load(string path, string vault, string userFile)
    {
        var bytes = Read(path);
        if (bytes is null)
        {
            return null;
        }

        IConfigurationRoot parsed;
        try
        {
            parsed = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new UsageException($"the vault's settings file '{path}' is not valid JSON ({OneLine(e.InnerException?.Message ?? e.Message)}).");
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parsed.AsEnumerable().OrderBy(kv => kv.Value is null).ThenBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase))
        {
            // Values first, so the line names the key that would have done something. An empty object or array
            // ("Serilog": {}) is a key without a value: harmless, but still not the vault's.
            if (!Allowed.Contains(key) && !(value is null && IsAncestorOfAllowed(key)))
            {
                // The key is the file writer's text: escaped, so it cannot forge lines on the terminal.
                throw new UsageException(
                    $"{Security.ControlText.Escape(key)} may not be set in the vault's settings file '{path}': a vault may hold only its own settings ({Summary}); put it in your per-user file ({userFile}), the environment or the command line.");
            }

            if (value is not null)
            {
                values[key] = string.Equals(key, PromptsKey, StringComparison.OrdinalIgnoreCase) ? InsideVault(value, vault, path) : value;
            }
        }

        return values;
    }

    /// <summary>The allowed keys in short, for the message.</summary>
    private const string Summary = "Prompts, Me:Name/Signature/Style/StyleExamples, Folders except State, Inbox timing, Learning:IgnoredAfter, Imap:QuoteOriginal";

    private static bool IsAncestorOfAllowed(string key) =>
        Allowed.Any(a => a.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>A prompt folder named by the vault is a folder of the vault: relative, no <c>..</c>, resolved against the vault.</summary>
    private static string? InsideVault(string value, string vault, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        if (Path.IsPathRooted(value) || value.Replace('\\', '/').Split('/').Contains(".."))
        {
            throw new UsageException($"ReplyDrafter:Prompts in the vault's settings file '{path}' must be a folder inside the vault, like 'Templates/prompts' (got '{Security.ControlText.Escape(value)}').");
        }

        return Path.Combine(Path.GetFullPath(vault), value);
    }

    /// <summary>The file's bytes, or null when there is none. Only a regular file is read: a FIFO would block every start.</summary>
    private static byte[]? Read(string path)
    {
        try
        {
            var opened = Security.InboxFile.TryOpen(path);
            if (opened.Kind == Security.InboxEntryKind.Missing)
            {
                return null;
            }

            if (!opened.IsOpen)
            {
                throw new UsageException($"the vault's settings file '{path}' cannot be read: it must be a regular file (it is {opened.Kind}).");
            }

            using var file = opened.File!;
            return Bounded(file.Stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"the vault's settings file '{path}' cannot be read ({OneLine(e.Message)}).");
        }
    }

    private static byte[] Bounded(Stream stream, string path)
    {
        var buffer = new byte[MaxBytes + 1];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read > MaxBytes
            ? throw new UsageException($"the vault's settings file '{path}' is larger than {MaxBytes / 1024} KB.")
            : buffer[..read];
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
