using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>One thread of the corpus and what ReplyDrafter should make of it.</summary>
/// <param name="MessageIds">Oldest first, without angle brackets.</param>
/// <param name="NeedsDraft">The latest message is someone else's, to me, and not bulk mail.</param>
internal sealed record CorpusThread(string Subject, IReadOnlyList<string> MessageIds, bool NeedsDraft)
{
    public string LatestId => MessageIds[^1];
}

/// <summary>
/// A realistic inbox: single messages, 2–4 message conversations (one file per message), newsletters, and threads
/// where my own reply is the last word. Every message is its own .eml file.
/// </summary>
internal sealed class MailCorpus
{
    private MailCorpus(IReadOnlyList<CorpusThread> threads, IReadOnlyDictionary<string, byte[]> files)
    {
        Threads = threads;
        Files = files;
    }

    public IReadOnlyList<CorpusThread> Threads { get; }

    /// <summary>File name → bytes.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    public int MessageCount => Threads.Sum(t => t.MessageIds.Count);

    /// <summary>
    /// <paramref name="threads"/> threads; sizes cycle so that about 2.7 messages per thread come out
    /// (45 threads → 120 messages). Every fifth thread is a newsletter, every fourth conversation ends with my reply.
    /// </summary>
    public static MailCorpus Create(int threads, string idPrefix = "c")
    {
        int[] sizes = [1, 4, 2, 4, 1, 3, 4, 3, 2, 1, 4, 4, 2, 4, 1];
        var list = new List<CorpusThread>();
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var t = 0; t < threads; t++)
        {
            var newsletter = t % 5 == 4;
            var size = newsletter ? 1 : sizes[t % sizes.Length];
            var mineLast = !newsletter && size > 1 && t % 4 == 1;
            var subject = $"Topic {t:D3} {(newsletter ? "weekly digest" : "planning")}";
            var sender = ($"Sender {t:D3}", $"sender{t:D3}@example.com");
            var ids = new List<string>();
            var start = new DateTimeOffset(2025, 11, 1, 8, 0, 0, TimeSpan.Zero).AddHours(t * 7);
            for (var k = 0; k < size; k++)
            {
                var id = $"{idPrefix}{t:D3}-m{k}@example.com";
                var fromMe = mineLast && k == size - 1;
                var message = MimeMessageBuilder.Create()
                    .MessageId(id)
                    .Subject(k == 0 ? subject : "Re: " + subject)
                    .Date(start.AddMinutes(37 * k + 1))
                    .PlainBody($"Message {k + 1} of thread {t}: could you look at item {t * 10 + k} and tell me what you think?");
                message = fromMe
                    ? message.From(DaemonHarness.MyName, DaemonHarness.MyEmail).To(sender.Item1, sender.Item2)
                    : message.From(sender.Item1, sender.Item2).To(DaemonHarness.MyName, DaemonHarness.MyEmail);
                if (k > 0)
                {
                    message.ReplyTo(ids[^1], [.. ids.Take(ids.Count - 1)]);
                }

                if (newsletter)
                {
                    message.Newsletter();
                }

                ids.Add(id);
                // The user's own message comes from their sent mail: the drop folder that proves it is theirs.
                files[$"{(fromMe ? "Sent/" : "")}{idPrefix}{t:D3}-{k}.eml"] = message.ToBytes();
            }

            list.Add(new CorpusThread(subject, ids, NeedsDraft: !newsletter && !mineLast));
        }

        return new MailCorpus(list, files);
    }

    public void WriteTo(string inbox)
    {
        foreach (var (name, bytes) in Files)
        {
            var path = Path.Combine(inbox, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }

    /// <summary>The fake server's usual answers, after a random 20–80 ms, so kills land mid-call as well as between steps.</summary>
    public static Func<FakeLlmRequest, FakeLlmReply> SlowCannedResponder(int seed)
    {
        var random = new Random(seed);
        var gate = new Lock();
        return request =>
        {
            int delay;
            lock (gate)
            {
                delay = random.Next(20, 81);
            }

            return Canned(request) with { Delay = TimeSpan.FromMilliseconds(delay) };
        };
    }

    /// <summary>What the fake server answers by default: a note that asks for a reply, or a draft.</summary>
    public static FakeLlmReply Canned(FakeLlmRequest request) => request.SchemaName switch
    {
        "thread-note" => FakeLlmReply.Json(FakeLlmServer.CannedNote(replyNeeded: true)),
        "draft-reply" => FakeLlmReply.Json(FakeLlmServer.CannedDraft()),
        _ => FakeLlmReply.Json("{}"),
    };
}
