using ReplyDrafter.Mail;
using ReplyDrafter.Steps;

namespace ReplyDrafter.Tests.Processing;

public sealed class ThreadTextTests
{
    private static EmailMessage Message(string id, int day, string text) =>
        new(id, null, [], new MailParty("Bob Builder", "bob@example.com"), [new MailParty("Ada", "ada@example.com")], [], [],
            new DateTimeOffset(2025, 12, day, 9, 0, 0, TimeSpan.Zero), "Plan", text, text, [], null);

    [Fact]
    public void PeopleMentioned_LargeDirectory_SendsOnlyNamesInTheThread()
    {
        var known = Enumerable.Range(0, 5000).Select(i => $"Person{i} Surname{i}").Append("Jonsi Stefansson").Append("Al Bo").ToList();

        var mentioned = ThreadText.PeopleMentioned(known, "From: Bob\n\nJonsi Stefanson said Person42 agrees. Al Bo too.");

        Assert.Equal(["Person42 Surname42", "Jonsi Stefansson"], mentioned);
    }

    [Fact]
    public void Format_OverBudget_KeepsNewestWholeAndSaysWhatWasLeftOut()
    {
        var messages = Enumerable.Range(1, 5).Select(i => Message($"m{i}", i, new string((char)('a' + i), 400))).ToList();

        var text = ThreadText.Format(messages, maxChars: 1200);

        Assert.Contains(new string('f', 400), text, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('b', 400), text, StringComparison.Ordinal);
        Assert.Contains("earlier message(s) left out for length", text, StringComparison.Ordinal);
        Assert.True(text.Length < 1400);
    }

    [Fact]
    public void Format_WithinBudget_HasEveryMessageOldestFirstWithHeaders()
    {
        var text = ThreadText.Format([Message("m1", 1, "first"), Message("m2", 2, "second")], maxChars: 10_000);

        Assert.True(text.IndexOf("first", StringComparison.Ordinal) < text.IndexOf("second", StringComparison.Ordinal));
        Assert.Contains("From: Bob Builder <bob@example.com>", text, StringComparison.Ordinal);
        Assert.Contains("Date: 2025-12-02 09:00 +00:00", text, StringComparison.Ordinal);
    }
}
