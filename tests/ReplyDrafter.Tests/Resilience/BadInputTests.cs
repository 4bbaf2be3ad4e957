using System.Text;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using Xunit.Abstractions;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>Broken and hostile files among good ones: no crash, no stack trace, each bad item explained, the rest flows.</summary>
[Collection(nameof(ChildProcessTests))]
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    /// <summary>About 135 MiB measured: a 30 MB attachment and a 5 MB body are streamed; holding them several times over would pass 250.</summary>
    private const long MemoryBound = 250 * MiB;

    [Fact]
    public async Task RunOnce_BrokenAndHostileFilesAmongGoodOnes_GoodDraftedBadExplainedNoStackTrace()
    {
        await using var harness = await DaemonHarness.StartAsync();
        var inbox = harness.Vault.Layout.Inbox;

        // Good mail, which must come out drafted whatever sits beside it. Key: Message-ID.
        var good = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["good-1@example.com"] = harness.Drop(Bob("good-1@example.com", "Budget question", "Can you send the budget?"), "good-1.eml"),
            ["good-2@example.com"] = harness.Drop(Bob("good-2@example.com", "Lunch", "Lunch on Friday?"), "good-2.eml"),
            ["zoe@example.com"] = harness.Drop(Bob("zoe@example.com", "Été", "Des nouvelles pour l'été ?"), "Mail from Zoë — été 2025.eml"),
            ["big-body@example.com"] = harness.Drop(Bob("big-body@example.com", "Huge report", BigText(5 * MiB)), "big-body.eml"),
            ["mbox-good@example.com"] = WriteMbox(inbox, "mixed.mbox"),
            ["huge-attachment@example.com"] = WriteWithHugeAttachment(Path.Combine(inbox, "huge-attachment.eml"), 30 * MiB),
        };

        // Bad input: each must end processed as well as it can be, or in _failed with a reason in words.
        File.WriteAllBytes(Path.Combine(inbox, "empty.eml"), []);
        File.WriteAllBytes(Path.Combine(inbox, "random.eml"), RandomBytes(8192, seed: 1));
        File.WriteAllText(Path.Combine(inbox, "no-headers.eml"), "just some words\nwith no headers at all\n\nand a second paragraph\n");
        var whole = Bob("half@example.com", "Cut in half", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"Line {i} of a long message."))).ToBytes();
        File.WriteAllBytes(Path.Combine(inbox, "half.eml"), whole[..(whole.Length / 2)]);
        var withAttachment = Bob("cut-base64@example.com", "Deck", "See the deck.").Attachment("deck.pdf", 200_000, "application/pdf").ToBytes();
        File.WriteAllBytes(Path.Combine(inbox, "cut-base64.eml"), withAttachment[..(withAttachment.Length * 2 / 3)]);
        harness.Drop(Bob("big-header@example.com", "Big header", "Short body.").Header("X-Junk", new string('x', 200 * 1024)), "big-header.eml");
        harness.Drop(
            Bob("charset@example.com", "Unknown charset", "x").RawBody("plain", Encoding.UTF8.GetBytes("Caf\u00e9 au lait, s'il vous pla\u00eet?"), "x-klingon-42"),
            "unknown-charset.eml");
        File.WriteAllBytes(Path.Combine(inbox, "report.pdf"), [.. "%PDF-1.7\n"u8, .. RandomBytes(4096, seed: 2)]);
        File.WriteAllBytes(Path.Combine(inbox, "binary.txt"), RandomBytes(4096, seed: 3));
        var names = Directory.EnumerateFiles(inbox).Select(f => Path.GetFileName(f)).ToList();

        await using var child = ChildDaemon.Start(harness.Arguments("run", "--once"));
        var exit = child.WaitForExitAsync(TimeSpan.FromSeconds(120));
        while (!exit.IsCompleted)
        {
            child.SampleMemory();
            await Task.WhenAny(exit, Task.Delay(25));
        }

        var code = await exit;
        output.WriteLine($"exit {code}, peak working set {child.PeakWorkingSet / MiB} MiB");
        output.WriteLine(child.Error);

        // Nothing left behind, nothing in two places.
        Assert.Empty(harness.InboxLeft());
        var archived = harness.Vault.Files("Inbox/_archive").Select(f => Path.GetFileName(f)).ToList();
        var failed = harness.Vault.Files("Inbox/_failed").Select(f => Path.GetFileName(f)).Where(f => !f.EndsWith(".error.md", StringComparison.Ordinal)).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), archived.Concat(failed).Order(StringComparer.Ordinal));

        // Every failed item says why in plain words.
        Assert.Contains("empty.eml", failed);
        Assert.Contains("report.pdf", failed);
        foreach (var name in failed)
        {
            var reason = File.ReadAllText(harness.Vault.Path($"Inbox/_failed/{name}.error.md"));
            Assert.Contains("# Why " + name, reason, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", reason, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", reason, StringComparison.Ordinal);
        }

        // Every good message was drafted, once.
        var drafted = harness.Drafts().Select(d => harness.FrontmatterOf(d)["in_reply_to"] as string).ToList();
        foreach (var id in good.Keys)
        {
            Assert.Single(drafted, d => d == $"<{id}>");
        }

        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", child.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", child.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", child.Output, StringComparison.Ordinal);
        Assert.InRange(child.PeakWorkingSet, 1, MemoryBound);
    }

    private static string BigText(long bytes)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < bytes; i++)
        {
            text.Append("Line ").Append(i).Append(": the quarterly numbers are in the attached sheet, please check them.\n");
        }

        return text.Append("\nCan you confirm by Friday?").ToString();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>An mbox with one good message and one whose headers are garbage.</summary>
    private static string WriteMbox(string inbox, string name)
    {
        var good = Bob("mbox-good@example.com", "From the mailbox", "Is this still on?").Build();
        var bytes = Mbox.ToBytes([good]).Concat(Encoding.Latin1.GetBytes("From nobody Thu Jan  1 00:00:00 2026\n")).Concat(RandomBytes(2048, seed: 4)).ToArray();
        var path = Path.Combine(inbox, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes a message with an attachment of <paramref name="size"/> bytes, streaming, so the test holds none of it.</summary>
    private static string WriteWithHugeAttachment(string path, long size)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var writer = new StreamWriter(file, Encoding.ASCII) { NewLine = "\r\n" };
        writer.WriteLine("From: Bob Sender <bob@example.com>");
        writer.WriteLine($"To: {DaemonHarness.MyName} <{DaemonHarness.MyEmail}>");
        writer.WriteLine("Subject: The full archive");
        writer.WriteLine("Date: Wed, 03 Dec 2025 11:00:00 +0000");
        writer.WriteLine("Message-ID: <huge-attachment@example.com>");
        writer.WriteLine("MIME-Version: 1.0");
        writer.WriteLine("Content-Type: multipart/mixed; boundary=\"b0undary\"");
        writer.WriteLine();
        writer.WriteLine("--b0undary");
        writer.WriteLine("Content-Type: text/plain; charset=utf-8");
        writer.WriteLine();
        writer.WriteLine("Here is the whole archive. Can you check it?");
        writer.WriteLine("--b0undary");
        writer.WriteLine("Content-Type: application/zip; name=\"archive.zip\"");
        writer.WriteLine("Content-Disposition: attachment; filename=\"archive.zip\"");
        writer.WriteLine("Content-Transfer-Encoding: base64");
        writer.WriteLine();
        var random = new Random(5);
        var chunk = new byte[57];
        for (long written = 0; written < size; written += chunk.Length)
        {
            random.NextBytes(chunk);
            writer.WriteLine(Convert.ToBase64String(chunk));
        }

        writer.WriteLine("--b0undary--");
        return path;
    }

    private static MimeMessageBuilder Bob(string id, string subject, string body) =>
        MimeMessageBuilder.ToMe(id, subject, body, "Bob Sender", date: new DateTimeOffset(2025, 12, 3, 10, 0, 0, TimeSpan.Zero));
}
