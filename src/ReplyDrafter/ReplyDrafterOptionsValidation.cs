using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;

namespace ReplyDrafter;

/// <summary>Start-up checks whose messages name the configuration key to fix.</summary>
internal sealed class ReplyDrafterOptionsValidation :
    IValidateOptions<ReplyDrafterOptions>, IValidateOptions<MeOptions>, IValidateOptions<InboxOptions>, IValidateOptions<FolderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReplyDrafterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Vault))
        {
            return ValidateOptionsResult.Fail("ReplyDrafter:Vault is not set: pass --vault DIR or set ReplyDrafter__Vault.");
        }

        if (!Directory.Exists(options.Vault))
        {
            return ValidateOptionsResult.Fail($"ReplyDrafter:Vault: the folder '{options.Vault}' does not exist.");
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(options.Vault).FirstOrDefault();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return ValidateOptionsResult.Fail($"ReplyDrafter:Vault: the folder '{options.Vault}' cannot be read ({ex.Message}).");
        }

        if (!string.IsNullOrWhiteSpace(options.Prompts) && !Directory.Exists(options.Prompts))
        {
            return ValidateOptionsResult.Fail($"ReplyDrafter:Prompts: the folder '{options.Prompts}' does not exist.");
        }

        return ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, MeOptions options)
    {
        foreach (var address in options.Aliases.Prepend(options.Email).Where(a => !string.IsNullOrWhiteSpace(a)))
        {
            if (!MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address.Trim() || !address.Contains('@', StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Fail($"ReplyDrafter:Me:Email (or Me:Aliases): '{address}' is not a plain email address like me@example.com.");
            }
        }

        return ValidateOptionsResult.Success;
    }

    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        var errors = new List<string>();
        Positive(errors, "RescanInterval", options.RescanInterval);
        Positive(errors, "OnceLlmWait", options.OnceLlmWait);
        if (options.StableFor < TimeSpan.Zero)
        {
            errors.Add("ReplyDrafter:Inbox:StableFor must not be negative.");
        }

        if (options.ShutdownGrace < TimeSpan.Zero)
        {
            errors.Add("ReplyDrafter:Inbox:ShutdownGrace must not be negative.");
        }

        if (options.MaxItemBytes <= 0)
        {
            errors.Add("ReplyDrafter:Inbox:MaxItemBytes must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, FolderOptions options)
    {
        var folders = new Dictionary<string, string>
        {
            ["Inbox"] = options.Inbox,
            ["Archive"] = options.Archive,
            ["Failed"] = options.Failed,
            ["Sources"] = options.Sources,
            ["Notes"] = options.Notes,
            ["Outbox"] = options.Outbox,
            ["PromptRecords"] = options.PromptRecords,
            ["State"] = options.State,
        };
        foreach (var (key, value) in folders)
        {
            if (string.IsNullOrWhiteSpace(value) || Path.IsPathRooted(value) || value.Replace('\\', '/').Split('/').Contains(".."))
            {
                return ValidateOptionsResult.Fail($"ReplyDrafter:Folders:{key} must be a folder inside the vault, like 'Notes' (got '{value}').");
            }
        }

        return ValidateOptionsResult.Success;
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"ReplyDrafter:Inbox:{key} must be a positive duration like 00:00:30 (got {value}).");
        }
    }
}
