using ReplyDrafter.Drafts;
using ReplyDrafter.Learning;

namespace ReplyDrafter.Tests.Learning;

public sealed class StyleExamplesTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static SentReply Reply(string id, string thread, string to, int day, string? text = null) =>
        new(id, thread, [to], Day.AddDays(day), text ?? $"Text of {id}");

    [Fact]
    public void Select_SameRecipientThenOrganisationThenRecent()
    {
        var candidates = new[]
        {
            Reply("recent-other", "t1", "zed@elsewhere.org", 9),
            Reply("org-old", "t2", "grace@analytical.example", 2),
            Reply("same-old", "t3", "charles@analytical.example", 1),
            Reply("same-new", "t4", "Charles@Analytical.example", 5),
            Reply("org-new", "t5", "ada@analytical.example", 8),
        };

        var chosen = StyleExamples.Select(candidates, ["charles@analytical.example"], "t-now", 4);

        Assert.Equal(["same-new", "same-old", "org-new", "org-old"], chosen.Select(c => c.MessageId));
    }

    [Fact]
    public void Select_NeverFromTheThreadBeingAnswered()
    {
        var candidates = new[] { Reply("same-thread", "t-now", "charles@x.example", 9), Reply("other", "t2", "bob@y.example", 1) };

        var chosen = StyleExamples.Select(candidates, ["charles@x.example"], "t-now", 3);

        Assert.Equal(["other"], chosen.Select(c => c.MessageId));
    }

    [Fact]
    public void Select_SharedMailHostIsNoOrganisation()
    {
        var candidates = new[] { Reply("gmail-stranger", "t1", "stranger@gmail.com", 1), Reply("recent", "t2", "x@z.example", 5) };

        var chosen = StyleExamples.Select(candidates, ["friend@gmail.com"], "t-now", 1);

        Assert.Equal("recent", Assert.Single(chosen).MessageId);
    }

    [Fact]
    public void Select_ZeroCount_ChoosesNone()
    {
        Assert.Empty(StyleExamples.Select([Reply("a", "t1", "a@b.example", 1)], ["a@b.example"], "t2", 0));
    }

    [Fact]
    public void Select_LongTextIsCappedAndDuplicatesDropped()
    {
        var longText = string.Join(' ', Enumerable.Repeat("word", 1000));
        var candidates = new[] { Reply("a", "t1", "a@b.example", 3, longText), Reply("b", "t2", "a@b.example", 2, longText), Reply("c", "t3", "a@b.example", 1, "Short.") };

        var chosen = StyleExamples.Select(candidates, ["a@b.example"], "t-now", 3);

        Assert.Equal(["a", "c"], chosen.Select(c => c.MessageId));
        Assert.True(chosen[0].Text.Length <= StyleExamples.MaxCharsEach + 2, chosen[0].Text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith(" …", chosen[0].Text, StringComparison.Ordinal);
    }
}
