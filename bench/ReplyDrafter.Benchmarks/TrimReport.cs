using System.Diagnostics;
using System.Globalization;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// Quote stripping on 5 MB replies (the tests check only that the work stays linear, by a line count): milliseconds
/// per MB for bodies that make every line ask what follows it, and the lines looked at per line of body.
/// </summary>
internal static class TrimReport
{
    private const int BodyChars = 5_000_000;
    private const int Rounds = 3;

    private static readonly (string Name, string Block)[] Shapes =
    [
        ("bare attributions (\"Bob wrote:\" / own line)", "Bob wrote:\nagreed\n"),
        ("inline answers (Gmail attribution, quote, answer)", "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n> Tuesday?\nYes, Tuesday.\n"),
        ("hard-wrapped quote (long quoted line, wrapped words)", "> We could meet on Tuesday afternoon in the small room next to the\nkitchen\n"),
    ];

    public static void Print(TextWriter output)
    {
        output.WriteLine("| Body (5 MB of) | ms per MB (best of 3) | lines looked at per line |");
        output.WriteLine("|---|---:|---:|");
        foreach (var (name, block) in Shapes)
        {
            var body = string.Concat(Enumerable.Repeat(block, BodyChars / block.Length)) + "> last quote";
            var lines = body.Count(c => c == '\n') + 1;
            QuoteStripper.OwnText(body, CancellationToken.None, out var visited);

            var best = TimeSpan.MaxValue;
            for (var round = 0; round < Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                QuoteStripper.OwnText(body, CancellationToken.None);
                best = watch.Elapsed < best ? watch.Elapsed : best;
            }

            var megabytes = body.Length / 1_000_000.0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {best.TotalMilliseconds / megabytes:F0} | {(double)visited / lines:F2} |"));
        }
    }
}
