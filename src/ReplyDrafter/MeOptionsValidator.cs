using Microsoft.Extensions.Options;

namespace ReplyDrafter;

/// <summary>Checks <c>ReplyDrafter:Me</c> addresses at start.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the messages name the key and the bad value, which data annotations cannot.</remarks>
internal sealed class MeOptionsValidator : IValidateOptions<MeOptions>
{
    /// <summary>More examples than this cost prompt size without showing more of a voice.</summary>
    public const int MaxStyleExamples = 10;

    public ValidateOptionsResult Validate(string? name, MeOptions options)
    {
        foreach (var address in options.Aliases.Prepend(options.Email).Where(a => !string.IsNullOrWhiteSpace(a)))
        {
            if (!MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address.Trim() || !address.Contains('@', StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Fail($"ReplyDrafter:Me:Email (or Me:Aliases): '{address}' is not a plain email address like me@example.com.");
            }
        }

        if (options.StyleExamples is < 0 or > MaxStyleExamples)
        {
            return ValidateOptionsResult.Fail($"ReplyDrafter:Me:StyleExamples must be between 0 (off) and {MaxStyleExamples} (it was {options.StyleExamples}).");
        }

        return ValidateOptionsResult.Success;
    }
}
