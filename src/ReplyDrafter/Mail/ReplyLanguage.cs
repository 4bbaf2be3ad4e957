namespace ReplyDrafter.Mail;

/// <summary>
/// One language's phrases as mail clients write them around a quoted message, with where they come from. Each list
/// holds literal text; in <see cref="MobileSignatures"/> a <c>*</c> stands for the device or app name.
/// </summary>
/// <param name="Code">BCP 47 language code.</param>
/// <param name="Wrote">The verb an attribution ends with before its colon ("wrote", "a écrit", "napisał(a)", "写道").</param>
/// <param name="Leads">Words an attribution starts with ("On", "Am", "W dniu"); empty when it starts with the date or name.</param>
/// <param name="FromLabels">Outlook/Thunderbird header label for the sender.</param>
/// <param name="SentLabels">Header labels for the date ("Sent", "Date").</param>
/// <param name="SubjectLabels">Header labels for the subject.</param>
/// <param name="Separators">The text between the dashes of "-----Original Message-----" and forwarded-message lines.</param>
/// <param name="MobileSignatures">The default signature of phone mail apps ("Sent from my *").</param>
/// <param name="Source">Which clients' localised strings the entry is taken from.</param>
internal sealed record ReplyLanguage(
    string Code,
    IReadOnlyList<string> Wrote,
    IReadOnlyList<string> Leads,
    IReadOnlyList<string> FromLabels,
    IReadOnlyList<string> SentLabels,
    IReadOnlyList<string> SubjectLabels,
    IReadOnlyList<string> Separators,
    IReadOnlyList<string> MobileSignatures,
    string Source)
{
    /// <summary>False for scripts written without spaces (Chinese, Japanese, Korean particles, Thai): no word boundaries.</summary>
    public bool Spaced { get; init; } = true;
}
