using MimeKit;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

/// <summary>List mail: a discussion-list message to the user is answered; newsletters and digests are not.</summary>
public sealed class ListMailTests : IDisposable
{
    private const string MyAddress = "me@example.com";
    private const string MyAlias = "me.alias@example.org";
    private const string MyName = "Sam Taylor";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static bool IsMe(string address) =>
        address.Equals(MyAddress, StringComparison.OrdinalIgnoreCase) || address.Equals(MyAlias, StringComparison.OrdinalIgnoreCase);

    /// <summary>A Google Groups message: List-Id, List-Post, List-Unsubscribe, Precedence: list.</summary>
    private static MimeMessageBuilder GoogleGroup() =>
        MimeMessageBuilder.Create()
            .To("Team", "team@groups.example.com")
            .Header("List-Id", "<team.groups.example.com>")
            .Header("List-Post", "<mailto:team@groups.example.com>")
            .Header("List-Unsubscribe", "<mailto:team+unsubscribe@groups.example.com>")
            .Header("Precedence", "list");

    [Fact]
    public void Read_DiscussionListToMe_NotAutomatedAndNoListReason()
    {
        var message = Read(GoogleGroup().Cc("Sam", MyAddress).PlainBody("Can you review the draft by Friday?"));

        Assert.Null(message.AutomatedReason);
        Assert.Equal("<team.groups.example.com>", message.List?.Id);
        Assert.True(message.List?.CanPost);
        Assert.Null(AutomatedMailDetector.ListReason(message, IsMe, MyName));
    }

    [Fact]
    public void ListReason_DiscussionListToMyAlias_Null()
    {
        var message = Read(GoogleGroup().To("Sam", MyAlias).PlainBody("Any news?"));

        Assert.Null(AutomatedMailDetector.ListReason(message, IsMe, MyName));
    }

    [Theory]
    [InlineData("Hi Sam,\n\ncould you send the numbers?")]
    [InlineData("Team,\n\nthe build is red again.\n\nSam, can you look at it today?")]
    [InlineData("sam: where is the release checklist?")]
    public void ListReason_DiscussionListAskingMeByName_Null(string body)
    {
        var message = Read(GoogleGroup().PlainBody(body));

        Assert.Null(message.AutomatedReason);
        Assert.Null(AutomatedMailDetector.ListReason(message, IsMe, MyName));
    }

    [Theory]
    [InlineData("Hi all,\n\nthe build is red again.\n\nThanks")]
    [InlineData("Hi all,\n\nthe minutes are attached.\n\nAttendees: Alex, Robin, Sam Taylor, Kim.")]
    [InlineData("Hi all,\n\nSamuel will send the numbers?")]
    public void ListReason_DiscussionListNotToMe_GivesReason(string body)
    {
        var message = Read(GoogleGroup().PlainBody(body));

        Assert.Equal("mailing list message not addressed to you (<team.groups.example.com>)", AutomatedMailDetector.ListReason(message, IsMe, MyName));
    }

    [Fact]
    public void ListReason_DirectMail_Null()
    {
        var message = Read(MimeMessageBuilder.Create().To("Someone", "other@example.com"));

        Assert.Null(message.List);
        Assert.Null(AutomatedMailDetector.ListReason(message, IsMe, MyName));
    }

    [Fact]
    public void Read_NewsletterToMe_IsAutomated()
    {
        // A newsletter is addressed to each subscriber personally; nobody can post to it.
        var message = Read(MimeMessageBuilder.Create().To("Sam", MyAddress)
            .Header("List-Unsubscribe", "<https://news.example.com/u/123>").Header("List-Id", "<news.example.com>"));

        Assert.Equal("newsletter (List-Unsubscribe, no List-Post)", message.AutomatedReason);
    }

    [Fact]
    public void Read_BulkPrecedenceWithUnsubscribe_IsAutomatedEvenToMe()
    {
        var message = Read(MimeMessageBuilder.Create().To("Sam", MyAddress)
            .Header("Precedence", "bulk").Header("List-Unsubscribe", "<mailto:u@example.com>").Header("List-Post", "<mailto:all@example.com>"));

        Assert.Equal("bulk mail (Precedence: bulk)", message.AutomatedReason);
    }

    [Theory]
    [InlineData("team Digest, Vol 12, Issue 3")]
    [InlineData("[team] Digest Number 42")]
    [InlineData("Weekly digest for team@groups.example.com")]
    public void Read_DigestSubjectOnList_IsAutomated(string subject)
    {
        var message = Read(GoogleGroup().Cc("Sam", MyAddress).Subject(subject));

        Assert.Equal("list digest (digest subject)", message.AutomatedReason);
    }

    [Fact]
    public void Read_DigestWordInDirectMailSubject_NotAutomated()
    {
        var message = Read(MimeMessageBuilder.Create().Subject("Can you digest this proposal by Monday?"));

        Assert.Null(message.AutomatedReason);
    }

    [Fact]
    public void Read_MultipartDigest_IsAutomated()
    {
        var builder = GoogleGroup().Cc("Sam", MyAddress);
        var mime = builder.Build();
        var digest = new Multipart("digest");
        foreach (var text in (string[])["First post", "Second post"])
        {
            var inner = new MimeMessage();
            inner.From.Add(new MailboxAddress("A", "a@example.com"));
            inner.Subject = text;
            inner.Body = new TextPart("plain") { Text = text };
            digest.Add(new MessagePart { Message = inner });
        }

        mime.Body = digest;
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        var path = _folder.WriteBytes("digest.eml", stream.ToArray());

        var message = Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);

        Assert.Equal("list digest (multipart/digest)", message.AutomatedReason);
    }

    [Theory]
    [InlineData("Hi Sam, thanks!", true)]
    [InlineData("Samantha, hi", false)]
    [InlineData("Hi Sam", true)]
    [InlineData("", false)]
    public void AsksByName_Opening_MatchesWholeFirstName(string text, bool expected) =>
        Assert.Equal(expected, AutomatedMailDetector.AsksByName(text, MyName));

    private EmailMessage Read(MimeMessageBuilder builder)
    {
        var path = builder.WriteEml(_folder);
        return Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);
    }
}
