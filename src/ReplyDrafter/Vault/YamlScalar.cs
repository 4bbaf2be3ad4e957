using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace ReplyDrafter.Vault;

/// <summary>
/// One YAML scalar in the style users already have: plain when that reads back as the same string in YAML 1.1 and
/// 1.2 parsers alike, single-quoted otherwise, double-quoted only when a character needs an escape.
/// </summary>
internal static class YamlScalar
{
    // Plain scalars some YAML parser would read as null, a boolean or a special float.
    private static readonly FrozenSet<string> TypedWords = new[]
    {
        "~", "null", "y", "n", "yes", "no", "on", "off", "true", "false", ".inf", "-.inf", "+.inf", ".nan", "=", "<<",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static string Format(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Any(NeedsEscape))
        {
            return DoubleQuoted(value);
        }

        return NeedsQuotes(value) ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'" : value;
    }

    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => ".inf",
        double.NegativeInfinity => "-.inf",
        double.NaN => ".nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            return true;
        }

        // Indicators, plus what could start a number, date or time ("2025-01-01", "1.0", "+1", ".5", "12:30").
        if ("-?:,[]{}#&*!|>'\"%@`.+0123456789".Contains(value[0], StringComparison.Ordinal))
        {
            return true;
        }

        return value.Contains(": ", StringComparison.Ordinal)
            || value.Contains(" #", StringComparison.Ordinal)
            || value.EndsWith(':')
            || TypedWords.Contains(value);
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || c is >= '\u007F' and <= '\u009F' or '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF';

    private static string DoubleQuoted(string value)
    {
        var builder = new StringBuilder(value.Length + 8).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '"' => builder.Append("\\\""),
                '\0' => builder.Append(@"\0"),
                '\a' => builder.Append(@"\a"),
                '\b' => builder.Append(@"\b"),
                '\t' => builder.Append(@"\t"),
                '\n' => builder.Append(@"\n"),
                '\v' => builder.Append(@"\v"),
                '\f' => builder.Append(@"\f"),
                '\r' => builder.Append(@"\r"),
                '\u001B' => builder.Append(@"\e"),
                '\u0085' => builder.Append(@"\N"),
                '\u2028' => builder.Append(@"\L"),
                '\u2029' => builder.Append(@"\P"),
                _ when c < ' ' || c is >= '\u007F' and <= '\u009F' => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ when char.IsSurrogate(c) || c is '\uFEFF' or '\uFFFE' or '\uFFFF' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
