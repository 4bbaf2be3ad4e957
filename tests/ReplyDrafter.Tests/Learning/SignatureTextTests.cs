using ReplyDrafter.Learning;

namespace ReplyDrafter.Tests.Learning;

public sealed class SignatureTextTests
{
    private const string Signature = "Ada Lovelace\nAnalytical Engines Ltd";

    [Theory]
    [InlineData("Thanks, see you.\n\nAda Lovelace\nAnalytical Engines Ltd\n", "Thanks, see you.")]
    [InlineData("Thanks, see you.\r\n\r\n  Ada Lovelace  \r\n Analytical Engines Ltd", "Thanks, see you.")]
    [InlineData("Thanks, see you.\nAda Lovelace", "Thanks, see you.")]
    [InlineData("Thanks, see you.\nBest, Ada", "Thanks, see you.\nBest, Ada")]
    [InlineData("Analytical Engines Ltd rocks", "Analytical Engines Ltd rocks")]
    [InlineData("", "")]
    public void Without_ConfiguredSignatureAtTheEnd_IsRemovedAndNothingElse(string text, string expected) =>
        Assert.Equal(expected, SignatureText.Without(text, Signature));

    [Fact]
    public void Without_NoSignatureConfigured_TextTrimmedOnly() =>
        Assert.Equal("Hi.\n\nAda", SignatureText.Without("Hi.\n\nAda\n\n", ""));
}
