using System.Text.RegularExpressions;
using ReplyDrafter.Mail;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed partial class SourceCopyTests
{
    public static TheoryData<string> Nasty => NastyStrings.AsTheoryData();

    [Fact]
    public void FileName_TypicalMessage_FollowsSpecPattern()
    {
        var message = new MessageBuilder().Build();

        var name = SourceCopy.FileName(message);

        Assert.Matches(@"^2025-12-21_075242_\d{4}_Re-MAI-VAST-December-8th-EoD-update\.md$", name);
    }

    [Fact]
    public void FileName_UsesTheSendersOwnClock()
    {
        var message = new MessageBuilder().Date(new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.FromHours(-5))).Build();

        Assert.StartsWith("2025-12-31_233000_", SourceCopy.FileName(message), StringComparison.Ordinal);
        Assert.Equal("Sources/Email/2025", SourceCopy.YearFolder(message));
    }

    [Fact]
    public void FileName_NumberDependsOnMessageIdOnly()
    {
        var a = SourceCopy.FileName(new MessageBuilder().MessageId("one@host").Build());
        var again = SourceCopy.FileName(new MessageBuilder().MessageId("<one@host>").Subject("Re: MAI / VAST December 8th EoD update").Build());
        var numbers = Enumerable.Range(0, 50)
            .Select(i => SourceCopy.FileName(new MessageBuilder().MessageId($"id{i}@host").Build()).Split('_')[2])
            .ToHashSet();

        Assert.Equal(a, again);
        Assert.True(numbers.Count > 40, "the 4-digit number should tell messages of the same second apart");
    }

    [Theory]
    [MemberData(nameof(Nasty))]
    public void FileName_AnySubject_IsSafeAndAtMost80CharsBeforeExtension(string subject)
    {
        var name = SourceCopy.FileName(new MessageBuilder().Subject(subject).Build());

        Assert.EndsWith(".md", name, StringComparison.Ordinal);
        Assert.InRange(name.Length - 3, 24, SourceCopy.MaxStemLength);
        Assert.Matches(SafeFileName(), name);
    }

    [Fact]
    public void Render_TypicalMessage_MatchesExpectedMarkdown()
    {
        var message = new MessageBuilder()
            .MessageId("abc123@mail.example.com")
            .InReplyTo("parent@mail.example.com")
            .References("root@mail.example.com", "parent@mail.example.com")
            .Cc(new MailParty("", "ops@example.com"), new MailParty("Renen Hallak", "renen@example.com"))
            .Attachments(new AttachmentInfo("plan.pdf", "application/pdf", 12_345), new AttachmentInfo("tiny.txt", "text/plain", 512))
            .Body("Hi Jason,\r\n\r\n# not a heading\r\n- [ ] not a task\r\n> quoted stays\r\n\r\nJeff")
            .Build();

        var markdown = SourceCopy.Render(message);

        Assert.Equal(
            """
            ---
            from: Jeff Denworth <jeff@example.com>
            to:
            - Jason Vallery <jason@example.com>
            cc:
            - ops@example.com
            - Renen Hallak <renen@example.com>
            date: '2025-12-21T07:52:42-08:00'
            subject: 'Re: MAI / VAST December 8th EoD update'
            message_id: <abc123@mail.example.com>
            in_reply_to: <parent@mail.example.com>
            references:
            - <root@mail.example.com>
            - <parent@mail.example.com>
            attachments:
            - plan.pdf (application/pdf, 12.3 kB)
            - tiny.txt (text/plain, 512 B)
            ---

            # Re: MAI / VAST December 8th EoD update

            Hi Jason,

            \# not a heading
            - \[ ] not a task
            > quoted stays

            Jeff

            """.ReplaceLineEndings("\n"),
            markdown);
    }

    [Fact]
    public void Render_NoReplyNoAttachments_WritesNullAndEmptyLists()
    {
        var read = Frontmatter.Read(SourceCopy.Render(new MessageBuilder().Build()));

        Assert.Null(read["in_reply_to"]);
        Assert.Empty(read.GetStrings("references"));
        Assert.Empty(read.GetStrings("attachments"));
        Assert.Empty(read.GetStrings("cc"));
    }

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Render_HostileHeaders_FrontmatterReadsBackExactly(string hostile)
    {
        var message = new MessageBuilder()
            .Subject(hostile)
            .From(hostile, "a@example.com")
            .To(new MailParty(hostile, "b@example.com"))
            .Attachments(new AttachmentInfo("x.pdf", "application/pdf", 1))
            .Build();

        var read = Frontmatter.Read(SourceCopy.Render(message));

        Assert.Equal(FrontmatterText.Inert(hostile), read.GetString("subject"));
        Assert.Equal(FrontmatterText.Inert(message.From.Display), read.GetString("from"));
        Assert.Equal([FrontmatterText.Inert(message.To[0].Display)], read.GetStrings("to"));
        Assert.Equal("2025-12-21T07:52:42-08:00", read.GetString("date"));
    }

    [Fact]
    public void Render_SubjectWithNewlineAndFence_HeadingStaysOneLine()
    {
        var markdown = SourceCopy.Render(new MessageBuilder().Subject("Hello\n---\n# injected").Build());

        Assert.Contains("\n# Hello --- # injected\n", markdown, StringComparison.Ordinal);
        Assert.Equal(2, markdown.Split('\n').Count(line => line == "---"));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(12_345, "12.3 kB")]
    [InlineData(999_999, "1.0 MB")]
    [InlineData(4_200_000_000, "4.2 GB")]
    public void FormatSize_Bytes_DecimalUnits(long bytes, string expected) =>
        Assert.Equal(expected, SourceCopy.FormatSize(bytes));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}_\d{6}_\d{4}_[\p{L}\p{M}\p{Nd}_-]+\.md$")]
    private static partial Regex SafeFileName();
}

/// <summary>Headers a hostile sender can blow up: the frontmatter stays readable, the body keeps them in full.</summary>
public sealed class SourceCopyHostileHeaderTests
{
    [Fact]
    public void Render_50000CcAddresses_FrontmatterReadsBackAndBodyHasAll()
    {
        var cc = Enumerable.Range(0, 50_000).Select(i => new MailParty($"Person {i}", $"p{i}@example.com")).ToArray();

        var markdown = SourceCopy.Render(new MessageBuilder().Cc(cc).Build());

        var read = Frontmatter.Read(markdown);
        Assert.Equal(SourceCopy.MaxListItems, read.GetStrings("cc").Count);
        Assert.Equal("Person 0 <p0@example.com>", read.GetStrings("cc")[0]);
        Assert.Equal(["cc"], read.GetStrings("shortened"));
        Assert.Contains("p49999@example.com", Frontmatter.Body(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_50000References_FrontmatterReadsBack()
    {
        var references = Enumerable.Range(0, 50_000).Select(i => $"ref{i}@example.com").ToArray();

        var markdown = SourceCopy.Render(new MessageBuilder().References(references).Build());

        var read = Frontmatter.Read(markdown);
        Assert.Equal(SourceCopy.MaxListItems, read.GetStrings("references").Count);
        Assert.Contains("ref49999@example.com", Frontmatter.Body(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_30000Attachments_FrontmatterReadsBack()
    {
        var attachments = Enumerable.Range(0, 30_000).Select(i => new AttachmentInfo($"file{i}.pdf", "application/pdf", i)).ToArray();

        var markdown = SourceCopy.Render(new MessageBuilder().Attachments(attachments).Build());

        Assert.Equal(SourceCopy.MaxListItems, Frontmatter.Read(markdown).GetStrings("attachments").Count);
        Assert.Contains("file29999.pdf", Frontmatter.Body(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_500000CharMessageId_FrontmatterReadsBackWithShortenedId()
    {
        var id = new string('a', 500_000) + "@example.com";

        var markdown = SourceCopy.Render(new MessageBuilder().MessageId(id).InReplyTo(id).Build());

        var read = Frontmatter.Read(markdown);
        Assert.InRange(read.GetString("message_id")!.Length, 2, SourceCopy.MaxValueChars);
        Assert.StartsWith("<aaaa", read.GetString("message_id"), StringComparison.Ordinal);
        Assert.Equal(["message_id", "in_reply_to"], read.GetStrings("shortened"));
        Assert.Contains(id, Frontmatter.Body(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EverythingHugeAndFullOfEscapes_StaysUnderTheReadLimit()
    {
        // Control characters triple a value's length in YAML; caps tighten until the block fits.
        var ugly = string.Concat(Enumerable.Repeat("\u0001\u0085\u2028\"\\", 400));
        var parties = Enumerable.Range(0, 300).Select(i => new MailParty(ugly, $"p{i}@example.com")).ToArray();
        var message = new MessageBuilder()
            .From(ugly, "f@example.com").To(parties).Cc(parties).Subject(ugly + ugly)
            .References([.. Enumerable.Range(0, 300).Select(i => ugly + i)])
            .Attachments([.. Enumerable.Range(0, 300).Select(i => new AttachmentInfo(ugly, ugly, i))])
            .Build();

        var markdown = SourceCopy.Render(message);

        var read = Frontmatter.Read(markdown);
        Assert.NotEmpty(read.GetStrings("to"));
        Assert.Equal(["from", "to", "cc", "subject", "references", "attachments"], read.GetStrings("shortened"));
    }

    [Fact]
    public void Render_OrdinaryMessage_HasNoShortenedField()
    {
        var markdown = SourceCopy.Render(new MessageBuilder().Build());

        Assert.False(Frontmatter.Read(markdown).ContainsKey("shortened"));
        Assert.DoesNotContain("Headers in full", markdown, StringComparison.Ordinal);
    }
}
