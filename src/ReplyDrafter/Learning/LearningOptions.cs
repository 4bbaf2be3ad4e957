using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Learning;

/// <summary>The <c>ReplyDrafter:Learning</c> section: how drafts are judged against what the user really sent.</summary>
public sealed class LearningOptions
{
    public const string Section = "ReplyDrafter:Learning";

    /// <summary>A draft with no reply from the user after this long counts as ignored.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "ReplyDrafter:Learning:IgnoredAfter must be between 1 minute and 365 days (it was {0}).")]
    public TimeSpan IgnoredAfter { get; set; } = TimeSpan.FromDays(7);
}

[OptionsValidator]
internal sealed partial class LearningOptionsValidator : IValidateOptions<LearningOptions>;
