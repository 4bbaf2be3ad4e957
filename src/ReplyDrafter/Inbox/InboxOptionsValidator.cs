using Microsoft.Extensions.Options;

namespace ReplyDrafter.Inbox;

/// <summary>Checks the <c>ReplyDrafter:Inbox</c> durations and limits at start.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the messages name the key and the bad value, which data annotations cannot.</remarks>
internal sealed class InboxOptionsValidator : IValidateOptions<InboxOptions>
{
    public ValidateOptionsResult Validate(string? name, InboxOptions options)
    {
        var errors = new List<string>();
        Positive(errors, "RescanInterval", options.RescanInterval);
        Positive(errors, "OnceLlmWait", options.OnceLlmWait);
        Positive(errors, "OnceTimeLimit", options.OnceTimeLimit);
        Positive(errors, "ReadBudget", options.ReadBudget);
        if (options.MaxMessagesPerItem <= 0)
        {
            errors.Add($"ReplyDrafter:Inbox:MaxMessagesPerItem must be a positive number (got {options.MaxMessagesPerItem}).");
        }
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

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"ReplyDrafter:Inbox:{key} must be a positive duration like 00:00:30 (got {value}).");
        }
    }
}
