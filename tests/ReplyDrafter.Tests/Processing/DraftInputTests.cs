using System.Text;
using ReplyDrafter.Mail;
using ReplyDrafter.Drafts;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Processing;

/// <summary>The draft step gets the note's summary and the messages to answer, not the whole thread again.</summary>
public sealed class DraftInputTests : IDisposable
{
    private const string Bob = "bob@example.com";

    private readonly PipelineHarness _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task ProcessAsync_TwentyMessageQuotedThread_DraftHoldsSummaryAndLatestButNotTheHistory()
    {
        var bodies = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            var own = $"Point {i}: marker-{i:D2}-xyz. The milestone plan for work package {i} needs your sign-off, and the budget line for it moves to the next quarter unless you object by Friday.";
            var quoted = string.Join("\n", bodies.LastOrDefault()?.Split('\n').Select(l => "> " + l) ?? []);
            var body = bodies.Count == 0 ? own : $"{own}\n\nOn Mon, 5 Jan 2026 someone wrote:\n{quoted}";
            bodies.Add(body);
            _pipeline.WriteToInbox(i % 2 == 0 ? $"Sent/m{i:D2}.eml" : $"m{i:D2}.eml", Eml(i, body));
        }

        var outcome = await _pipeline.RunInboxAsync();

        Assert.Equal(20, outcome.Done);
        var note = Text(_pipeline.Llm.Requests.Single(r => r.Step == "thread-note"));
        var draft = Text(_pipeline.Llm.Requests.Single(r => r.Step == "draft-reply"));
        Assert.Contains("marker-00-xyz", note, StringComparison.Ordinal); // the note still reads the whole thread
        Assert.Contains("Alice asks for the revised Q3 budget before Friday's review.", draft, StringComparison.Ordinal);
        Assert.Contains("marker-19-xyz", draft, StringComparison.Ordinal);
        Assert.Contains("[19 earlier message(s): see the summary above]", draft, StringComparison.Ordinal);
        for (int i = 0; i < 19; i++)
        {
            Assert.DoesNotContain($"marker-{i:D2}-xyz", draft, StringComparison.Ordinal);
        }

        Assert.True(draft.Length * 3 < note.Length, $"draft {draft.Length} chars, note {note.Length} chars");
    }

    [Fact]
    public void MessagesFor_ShortReplyReferringBack_KeepsTheMessageItAnswers()
    {
        var me = new MeOptions { Name = "Me Myself", Email = PipelineHarness.MyEmail };
        var thread = new[]
        {
            Message(0, Bob, "Could we move the review to Thursday afternoon, and would you bring the revised budget with the archive migration costs split out per phase?"),
            Message(1, PipelineHarness.MyEmail, "Thursday works. Which room did you have in mind, and should I invite Marie from finance too so she can answer questions on the split?"),
            Message(2, Bob, "Yes, please do."),
        };

        var sent = DraftInput.MessagesFor(thread, me);

        Assert.Equal(["m1@example.com", "m2@example.com"], sent.Select(m => m.MessageId));
    }

    [Fact]
    public void MessagesFor_SeveralSinceMyLastMessage_AnswersAllOfThemUpToThree()
    {
        var me = new MeOptions { Name = "Me Myself", Email = PipelineHarness.MyEmail };
        var longText = "The vendor sent a new quote for the licences; it is twelve percent above last year's and they want an answer before the end of the month, or the discount lapses.";
        var thread = Enumerable.Range(0, 6).Select(i => Message(i, i == 0 ? PipelineHarness.MyEmail : Bob, longText + " " + i)).ToList();

        var sent = DraftInput.MessagesFor(thread, me);

        Assert.Equal(["m3@example.com", "m4@example.com", "m5@example.com"], sent.Select(m => m.MessageId));
    }

    private static string Text(ReplyDrafter.Llm.LlmRequest request) => string.Join("\n", request.Messages.Select(m => m.Text));

    private static EmailMessage Message(int i, string from, string ownText) => new(
        $"m{i}@example.com", null, [], new MailParty(from, from), [new MailParty("x", i % 2 == 0 ? PipelineHarness.MyEmail : Bob)], [], [],
        new DateTimeOffset(2026, 1, 5, 8, i, 0, TimeSpan.Zero), "Review", ownText, ownText, [], null);

    /// <summary>Message <paramref name="i"/> of the thread: the user writes the even ones, Bob the odd ones (and the last).</summary>
    private static byte[] Eml(int i, string body) => Encoding.UTF8.GetBytes(
        $"From: {(i % 2 == 1 ? "Bob Sender <" + Bob + ">" : "Me Myself <" + PipelineHarness.MyEmail + ">")}\r\n" +
        $"To: {(i % 2 == 1 ? "Me Myself <" + PipelineHarness.MyEmail + ">" : "Bob Sender <" + Bob + ">")}\r\n" +
        $"Subject: {(i == 0 ? "" : "Re: ")}Work package plan\r\nDate: Mon, 05 Jan 2026 08:{i:D2}:00 +0000\r\nMessage-ID: <wp-{i}@example.com>\r\n" +
        (i == 0 ? "" : $"In-Reply-To: <wp-{i - 1}@example.com>\r\nReferences: {string.Join(" ", Enumerable.Range(0, i).Select(j => $"<wp-{j}@example.com>"))}\r\n") +
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n");
}
