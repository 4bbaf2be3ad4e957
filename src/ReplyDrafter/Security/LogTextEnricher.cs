using Serilog.Core;
using Serilog.Events;

namespace ReplyDrafter.Security;

/// <summary>
/// Serilog enricher that escapes control characters (<see cref="ControlText.Escape"/>) in every string property of
/// every event, inside lists and structures too, so a file name or header holding <c>\n</c> cannot forge a log line
/// and one holding ANSI escapes cannot repaint the terminal. Register it last:
/// <c>loggerConfiguration.Enrich.With&lt;LogTextEnricher&gt;()</c>.
/// </summary>
internal sealed class LogTextEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var clean = Clean(value);
            if (!ReferenceEquals(clean, value))
            {
                (changed ??= []).Add(new LogEventProperty(name, clean));
            }
        }

        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its strings escaped; the same instance when nothing needed escaping.</summary>
    internal static LogEventPropertyValue Clean(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var escaped = ControlText.Escape(text);
                return ReferenceEquals(escaped, text) ? value : new ScalarValue(escaped);
            case SequenceValue sequence:
                var items = sequence.Elements.Select(Clean).ToList();
                return items.Where((item, i) => !ReferenceEquals(item, sequence.Elements[i])).Any() ? new SequenceValue(items) : value;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new LogEventProperty(p.Name, Clean(p.Value))).ToList();
                return properties.Where((p, i) => !ReferenceEquals(p.Value, structure.Properties[i].Value)).Any()
                    ? new StructureValue(properties, structure.TypeTag)
                    : value;
            case DictionaryValue dictionary:
                var pairs = dictionary.Elements.Select(pair => new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                    Clean(pair.Key) as ScalarValue ?? pair.Key, Clean(pair.Value))).ToList();
                return pairs.Where((pair, i) => !ReferenceEquals(pair.Key, dictionary.Elements.ElementAt(i).Key) || !ReferenceEquals(pair.Value, dictionary.Elements.ElementAt(i).Value)).Any()
                    ? new DictionaryValue(pairs)
                    : value;
            default:
                return value;
        }
    }
}
