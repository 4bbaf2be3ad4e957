using System.Globalization;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Learning;

/// <summary>The <c>ReplyDrafter:Learning</c> section: how drafts are judged against what the user really sent.</summary>
public sealed class LearningOptions
{
    public const string Section = "ReplyDrafter:Learning";

    public static readonly TimeSpan MinIgnoredAfter = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxIgnoredAfter = TimeSpan.FromDays(365);

    /// <summary>A draft with no reply from the user after this long counts as ignored.</summary>
    public TimeSpan IgnoredAfter { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Checks <c>ReplyDrafter:Learning</c> at start.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the generated message for a TimeSpan range names the property, not the key.</remarks>
internal sealed class LearningOptionsValidator : IValidateOptions<LearningOptions>
{
    public ValidateOptionsResult Validate(string? name, LearningOptions options) =>
        options.IgnoredAfter < LearningOptions.MinIgnoredAfter || options.IgnoredAfter > LearningOptions.MaxIgnoredAfter
            ? ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture, $"ReplyDrafter:Learning:IgnoredAfter must be between 1 minute and 365 days (it was {options.IgnoredAfter})."))
            : ValidateOptionsResult.Success;
}
