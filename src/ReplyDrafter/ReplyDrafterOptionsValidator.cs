using Microsoft.Extensions.Options;

namespace ReplyDrafter;

/// <summary>Checks <c>ReplyDrafter:Vault</c> and <c>ReplyDrafter:Prompts</c> at start.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the messages name the key and the bad value, which data annotations cannot.</remarks>
internal sealed class ReplyDrafterOptionsValidator : IValidateOptions<ReplyDrafterOptions>
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
}
