namespace ReplyDrafter.Learning;

/// <summary>What became of a draft, judged by what the user sent.</summary>
public enum DraftOutcome
{
    /// <summary>No reply from the user yet, and not yet ignored.</summary>
    Pending,

    /// <summary>The reply kept at least 90 % of the draft's words.</summary>
    Sent,

    /// <summary>The reply kept 50–90 %.</summary>
    Edited,

    /// <summary>The reply kept less than half.</summary>
    Rewritten,

    /// <summary>No reply from the user within <see cref="LearningOptions.IgnoredAfter"/>.</summary>
    Ignored,

    /// <summary>The user replied in a thread that had no draft: a reply ReplyDrafter did not draft.</summary>
    Missed,
}

internal static class DraftOutcomes
{
    public const double SentThreshold = 0.9;
    public const double EditedThreshold = 0.5;

    public static DraftOutcome FromSimilarity(double similarity) => similarity switch
    {
        >= SentThreshold => DraftOutcome.Sent,
        >= EditedThreshold => DraftOutcome.Edited,
        _ => DraftOutcome.Rewritten,
    };

    /// <summary>The word used in the ledger, the prompt record and the draft's <c>status:</c>.</summary>
    public static string ToWord(this DraftOutcome outcome) => outcome switch
    {
        DraftOutcome.Pending => "pending",
        DraftOutcome.Sent => "sent",
        DraftOutcome.Edited => "edited",
        DraftOutcome.Rewritten => "rewritten",
        DraftOutcome.Ignored => "ignored",
        DraftOutcome.Missed => "missed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public static DraftOutcome Parse(string? word) => word switch
    {
        "sent" => DraftOutcome.Sent,
        "edited" => DraftOutcome.Edited,
        "rewritten" => DraftOutcome.Rewritten,
        "ignored" => DraftOutcome.Ignored,
        "missed" => DraftOutcome.Missed,
        _ => DraftOutcome.Pending,
    };
}
