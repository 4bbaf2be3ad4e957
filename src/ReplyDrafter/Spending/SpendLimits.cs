using System.Globalization;
using ReplyDrafter.Ledger;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Spending;

/// <summary><c>Llm:DailyCallLimit</c> and <c>Llm:DailyTokenLimit</c> against what a day used so far. Pure.</summary>
internal static class SpendLimits
{
    /// <summary>Why no more calls may be made today (naming the key to raise), or null while under both limits.</summary>
    public static string? Reached(LlmOptions options, LlmUsageTotals today, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(today);
        string date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (options.DailyCallLimit is { } calls && today.Calls >= calls)
        {
            return $"The daily limit of {calls:N0} LLM calls ({LlmOptions.Section}:DailyCallLimit) is reached for {date}: items wait and continue tomorrow.";
        }

        if (options.DailyTokenLimit is { } tokens && today.Tokens >= tokens)
        {
            return $"The daily limit of {tokens:N0} LLM tokens ({LlmOptions.Section}:DailyTokenLimit) is reached for {date} ({today.Tokens:N0} used): items wait and continue tomorrow.";
        }

        return null;
    }
}
