using ReplyDrafter.Learning;

namespace ReplyDrafter.Tests.Learning;

public sealed class ReplySimilarityTests
{
    private const string Draft = "Hi Charles, thanks for the update. I can confirm the 15 July launch date and I will sign off the revised budget by Friday. Best, Ada";

    [Fact]
    public void Compute_SameWordsReflowed_IsOne()
    {
        var sent = "Hi Charles,\n\nthanks for the update.  I can confirm the 15 July launch date\nand I will sign off the revised budget by Friday.\nBest, Ada";

        Assert.Equal(1.0, ReplySimilarity.Compute(Draft, sent));
    }

    [Fact]
    public void Compute_OneWordChanged_IsSentBand()
    {
        var sent = Draft.Replace("Friday", "Thursday", StringComparison.Ordinal);

        var similarity = ReplySimilarity.Compute(Draft, sent);

        Assert.InRange(similarity, 0.9, 0.99);
        Assert.Equal(DraftOutcome.Sent, DraftOutcomes.FromSimilarity(similarity));
    }

    [Fact]
    public void Compute_LightlyEdited_IsEdited()
    {
        var sent = "Hi Charles, thanks. I can confirm the launch date, but the revised budget needs another look from Grace before I sign. Best, Ada";

        Assert.Equal(DraftOutcome.Edited, DraftOutcomes.FromSimilarity(ReplySimilarity.Compute(Draft, sent)));
    }

    [Fact]
    public void Compute_Rewritten_IsRewritten()
    {
        var sent = "Can we talk tomorrow morning? There are problems with the numbers.";

        Assert.Equal(DraftOutcome.Rewritten, DraftOutcomes.FromSimilarity(ReplySimilarity.Compute(Draft, sent)));
    }

    [Fact]
    public void Compute_IsSymmetric()
    {
        var sent = "Hi Charles, I confirm 15 July. Budget by Friday. Ada";

        Assert.Equal(ReplySimilarity.Compute(Draft, sent), ReplySimilarity.Compute(sent, Draft));
    }

    [Theory]
    [InlineData("", "", 1.0)]
    [InlineData("Hello there", "", 0.0)]
    [InlineData("a b c d", "a b x d", 0.75)]
    [InlineData("a b c d", "a b c d e f g h", 0.6667)]
    public void Compute_KnownValues_MatchDiceOverCommonWords(string a, string b, double expected)
    {
        Assert.Equal(expected, ReplySimilarity.Compute(a, b));
    }

    [Fact]
    public void Words_CjkCharactersAreWordsAndCaseIsFolded()
    {
        Assert.Equal(["ok", "了", "解", "し", "ま", "し", "た"], ReplySimilarity.Words("OK 了解しました"));
        Assert.Equal(["don't", "stop"], ReplySimilarity.Words("Don't STOP!"));
    }

    [Theory]
    [InlineData(0.9, DraftOutcome.Sent)]
    [InlineData(0.8999, DraftOutcome.Edited)]
    [InlineData(0.5, DraftOutcome.Edited)]
    [InlineData(0.4999, DraftOutcome.Rewritten)]
    public void FromSimilarity_Thresholds(double similarity, DraftOutcome expected)
    {
        Assert.Equal(expected, DraftOutcomes.FromSimilarity(similarity));
    }
}
