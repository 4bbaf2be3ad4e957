using System.Globalization;
using BenchmarkDotNet.Attributes;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Benchmarks;

/// <summary><see cref="ThreadGrouper.Group"/> on a large batch: 1 000 messages in 200 threads, shuffled.</summary>
[MemoryDiagnoser]
public class ThreadingBenchmarks
{
    private const int Threads = 200;
    private const int PerThread = 5;

    private List<EmailMessage> _messages = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var from = new MailParty("Alice Moreau", "alice.moreau@client.example");
        var to = new MailParty("Sam Taylor", "sam.taylor@example.com");
        for (var t = 0; t < Threads; t++)
        {
            var subject = string.Create(CultureInfo.InvariantCulture, $"Project {t}: weekly status");
            var ids = new List<string>();
            for (var m = 0; m < PerThread; m++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"t{t}-m{m}@mail.example");

                // Every fourth reply lost its headers (forwarded text, a broken client): only the subject links it.
                var headerless = m > 0 && (t + m) % 4 == 0;
                _messages.Add(new EmailMessage(
                    id,
                    m == 0 || headerless ? null : ids[^1],
                    headerless ? [] : [.. ids],
                    from,
                    [to],
                    [],
                    [],
                    start.AddMinutes((t * 7) + (m * 61)),
                    m == 0 ? subject : "Re: " + subject,
                    "Body.",
                    "Body.",
                    [],
                    null));
                ids.Add(id);
            }
        }

        var random = new Random(42);
        _messages = [.. _messages.OrderBy(_ => random.Next())];
    }

    [Benchmark]
    public IReadOnlyList<MessageGroup> Group1000MessagesIn200Threads() =>
        ThreadGrouper.Group(_messages, static _ => null, static _ => null);
}
