using System.Diagnostics;

namespace ReplyDrafter.Tests.Cli;

/// <summary>
/// Real time passing from noon UTC on a fixed day: in-process commands see the same "today" however late the suite
/// runs (no test crosses midnight), while timers and delays still run on the real clock.
/// </summary>
internal sealed class NoonClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly long _origin = Stopwatch.GetTimestamp();

    public static NoonClock Shared { get; } = new();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => Start + Stopwatch.GetElapsedTime(_origin);
}
