using ReplyDrafter.Security;

namespace ReplyDrafter.Tests.Security;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("http://user:key@host/v1?key=abc", "http://host/v1")]
    [InlineData("https://sk-secret@api.example.com:8443/openai/v1/?api-key=s#frag", "https://api.example.com:8443/openai/v1/")]
    [InlineData("https://my.openai.azure.com/", "https://my.openai.azure.com/")]
    [InlineData("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1")]
    [InlineData("https://host/v1?sig=abc&se=2026", "https://host/v1")]
    [InlineData("not a url with key=abc", Redaction.Hidden)]
    [InlineData("not a url", "not a url")]
    [InlineData("", "")]
    public void Url_CredentialsInUserInfoOrQuery_AreRemoved(string endpoint, string expected) =>
        Assert.Equal(expected, Redaction.Url(endpoint));

    [Fact]
    public void InMessage_ValidationMessageQuotingEndpoint_IsRedacted()
    {
        const string endpoint = "http://user:sk-123@host/v1?key=sk-456";

        var message = Redaction.InMessage($"ReplyDrafter:Llm:Endpoint '{endpoint}' does not answer.", endpoint);

        Assert.Equal("ReplyDrafter:Llm:Endpoint 'http://host/v1' does not answer.", message);
        Assert.DoesNotContain("sk-", message, StringComparison.Ordinal);
    }
}
