using Microsoft.Extensions.Options;

namespace ReplyDrafter;

/// <summary>Checks that every <c>ReplyDrafter:Folders</c> entry stays inside the vault.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the messages name the key and the bad value, which data annotations cannot.</remarks>
internal sealed class FolderOptionsValidator : IValidateOptions<FolderOptions>
{
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
}
