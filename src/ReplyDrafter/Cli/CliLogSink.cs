using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace ReplyDrafter.Cli;

/// <summary>Log lines, formatted as the console shows them, into a command's own error writer (see <see cref="CliConsole"/>).</summary>
internal sealed class CliLogSink(TextWriter writer) : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _formatter = new("{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}", System.Globalization.CultureInfo.InvariantCulture);

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (writer)
        {
            _formatter.Format(logEvent, writer);
        }
    }
}
