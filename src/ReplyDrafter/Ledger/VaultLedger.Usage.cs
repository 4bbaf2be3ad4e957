using System.Globalization;

namespace ReplyDrafter.Ledger;

/// <summary>One answered LLM call's usage, as the ledger keeps it for <c>status</c> and the daily spend limits.</summary>
/// <param name="LocalDate">The day the call was answered on the user's clock (the daily limits count per local day).</param>
internal sealed record LlmCallRecord(
    DateTimeOffset At,
    DateOnly LocalDate,
    string Step,
    string Model,
    long InputTokens,
    long CachedInputTokens,
    long OutputTokens,
    int Attempts,
    TimeSpan Latency);

/// <summary>Calls and tokens summed over some days.</summary>
internal sealed record LlmUsageTotals(long Calls, long InputTokens, long CachedInputTokens, long OutputTokens)
{
    public static readonly LlmUsageTotals None = new(0, 0, 0, 0);

    public long Tokens => InputTokens + OutputTokens;
}

internal sealed partial class VaultLedger
{
    /// <summary>Schema version 3: one row per answered LLM call (additive; nothing else reads or changes it).</summary>
    private const string UsageSchema = """
        CREATE TABLE IF NOT EXISTS llm_calls (
            id            INTEGER PRIMARY KEY,
            at            TEXT NOT NULL,
            local_date    TEXT NOT NULL,
            step          TEXT NOT NULL,
            model         TEXT NOT NULL,
            input_tokens  INTEGER NOT NULL,
            cached_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            attempts      INTEGER NOT NULL,
            latency_ms    INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS llm_calls_day ON llm_calls(local_date);
        """;

    /// <summary>
    /// Committed without its own fsync (synchronous NORMAL on this connection): usage is a statistic, and the next
    /// FULL commit of any other write syncs the write-ahead log it sits in. A process crash loses nothing; a power
    /// cut may lose the last few rows and nothing else.
    /// </summary>
    public void AddLlmCall(LlmCallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        WriteRelaxed(
            """
            INSERT INTO llm_calls(at, local_date, step, model, input_tokens, cached_tokens, output_tokens, attempts, latency_ms)
            VALUES ($at, $d, $s, $m, $i, $c, $o, $n, $l)
            """,
            ("$at", Iso(call.At)), ("$d", Day(call.LocalDate)), ("$s", call.Step), ("$m", call.Model), ("$i", call.InputTokens),
            ("$c", call.CachedInputTokens), ("$o", call.OutputTokens), ("$n", call.Attempts), ("$l", (long)call.Latency.TotalMilliseconds));
    }

    /// <summary>The calls answered on <paramref name="day"/>, or on every day when it is null.</summary>
    public LlmUsageTotals LlmUsage(DateOnly? day = null) =>
        Query(
            """
            SELECT COUNT(*), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(cached_tokens), 0), COALESCE(SUM(output_tokens), 0)
            FROM llm_calls WHERE $d IS NULL OR local_date = $d
            """,
            r => new LlmUsageTotals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)),
            ("$d", day is { } d ? Day(d) : null)).FirstOrDefault() ?? LlmUsageTotals.None;

    private void WriteRelaxed(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_writeLock)
        {
            if (_batch is not null)
            {
                Write(sql, parameters);
                return;
            }

            // Open() sets synchronous FULL again whenever the pooled connection is handed out next.
            using var connection = Open();
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            command.ExecuteNonQuery();
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
