using System.Text;
using MimeKit;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

/// <summary>Hostile bodies cost linear work and come out cut visibly; format=flowed text is unwrapped first.</summary>
public sealed class BoundedWorkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void OwnText_AttributionBait_KeepsTextAndFindsNoAttribution()
    {
        // 4 lines of "Am" + " schrieb"×6000 (192 KB): the backtracking pattern took a minute of CPU on this.
        var bait = "Am" + string.Concat(Enumerable.Repeat(" schrieb", 6000));
        var body = "Hello.\n" + string.Join('\n', Enumerable.Repeat(bait, 4));

        var own = QuoteStripper.OwnText(body);

        Assert.StartsWith("Hello.\nAm schrieb schrieb", own, StringComparison.Ordinal);
        Assert.Equal(body.Length, own.Length);
    }

    [Fact]
    public void OwnText_AttributionBaitShortEnoughToTest_StillLinearAndCorrect()
    {
        // Lines under the pattern length cap go through the linear-time regexes: one real attribution among bait.
        var bait = "Am" + string.Concat(Enumerable.Repeat(" schrieb", 60));
        var body = "Ja.\n" + bait + "\n" + bait + "\n\nAm 01.12.2025 um 10:00 schrieb Alice:\n> Frage?";

        Assert.Equal("Ja.\n" + bait + "\n" + bait, QuoteStripper.OwnText(body));
    }

    [Fact]
    public void OwnText_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => QuoteStripper.OwnText("Hello\n> quoted", cancelled.Token));
    }

    [Fact]
    public void HtmlToText_DeeplyNestedDivs_CutVisiblyAtDepthCap()
    {
        var html = "<p>Before</p>" + string.Concat(Enumerable.Repeat("<div>", 150_000)) + "deep text";

        var text = HtmlText.ToText(html);

        Assert.StartsWith("Before", text, StringComparison.Ordinal);
        Assert.EndsWith(MimeMessageConverter.TruncatedMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain("deep text", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlToText_NestingWithinCap_Complete()
    {
        var depth = HtmlText.MaxNestingDepth - 10;
        var html = string.Concat(Enumerable.Repeat("<div>", depth)) + "inner" + string.Concat(Enumerable.Repeat("</div>", depth))
            + string.Concat(Enumerable.Repeat("<p>para", 500)) + "<div>after</div>";

        var text = HtmlText.ToText(html);

        Assert.StartsWith("inner", text, StringComparison.Ordinal);
        Assert.EndsWith("after", text, StringComparison.Ordinal);
        Assert.DoesNotContain(MimeMessageConverter.TruncatedMarker, text, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlBound_TagsInCommentsAndAttributes_NotCounted()
    {
        var many = string.Concat(Enumerable.Repeat("<div>", 300));
        var html = $"<!-- {many} --><a title=\"{many}\">link</a> end";

        var (bounded, truncated) = HtmlText.Bound(html);

        Assert.False(truncated);
        Assert.Equal(html, bounded);
    }

    [Fact]
    public void HtmlToText_OverSizeCap_CutVisibly()
    {
        var html = "<p>" + new string('a', HtmlText.MaxHtmlChars + 10) + "</p>";

        var text = HtmlText.ToText(html);

        Assert.EndsWith(MimeMessageConverter.TruncatedMarker, text, StringComparison.Ordinal);
        Assert.True(text.Length < HtmlText.MaxHtmlChars + 100);
    }

    [Fact]
    public void HtmlToText_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => HtmlText.ToText("<p>x</p>", cancelled.Token));
    }

    [Fact]
    public void Read_HtmlBodyOfNestedDivs_ReadWithTruncationMarker()
    {
        var html = "<p>Please call me.</p>" + string.Concat(Enumerable.Repeat("<div>", 150_000));
        var path = MimeMessageBuilder.Create().HtmlBody(html).WriteEml(_folder);

        var message = Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);

        Assert.Equal("Please call me.\n" + MimeMessageConverter.TruncatedMarker, message.Body);
    }

    [Fact]
    public void Read_Cancelled_Throws()
    {
        var path = MimeMessageBuilder.Create().WriteEml(_folder);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => InboxItemReader.Read(path, cancelled.Token));
    }

    [Fact]
    public void Read_FormatFlowed_UnwrappedBeforeQuoteStripping()
    {
        const string flowed = "This is a long line that the client \r\nwrapped softly at the \r\nseventy-second column.\r\n\r\n"
            + "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> \r\nwrote:\r\n> Old text that was \r\n> wrapped too.\r\n";
        var path = Flowed(flowed, delSp: false);

        var message = Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);

        Assert.Equal("This is a long line that the client wrapped softly at the seventy-second column.", message.OwnText);
        Assert.Contains("> Old text that was wrapped too.", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FormatFlowedDelSp_SpaceBeforeSoftBreakRemoved()
    {
        // DelSp=yes: the space before a soft break was added by the sender and is not part of the text (CJK, URLs).
        var path = Flowed("https://example.com/a/very/long/ \r\npath/to/file\r\n", delSp: true);

        var message = Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages);

        Assert.Equal("https://example.com/a/very/long/path/to/file", message.Body);
    }

    [Fact]
    public void Read_NotFlowed_LinesKept()
    {
        var path = MimeMessageBuilder.Create().PlainBody("Line one \nline two").WriteEml(_folder);

        Assert.Equal("Line one \nline two", Assert.Single(InboxItemReader.Read(path, CancellationToken.None).Messages).Body);
    }

    private string Flowed(string text, bool delSp)
    {
        var mime = MimeMessageBuilder.Create().Build();
        var part = new TextPart("plain") { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, text);
        part.ContentType.Parameters["format"] = "flowed";
        if (delSp)
        {
            part.ContentType.Parameters["delsp"] = "yes";
        }

        mime.Body = part;
        using var stream = new MemoryStream();
        mime.WriteTo(stream);
        return _folder.WriteBytes("flowed.eml", stream.ToArray());
    }
}

public sealed class ReadBudgetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_BudgetAlreadySpent_FailsWithReason()
    {
        var path = MimeMessageBuilder.Create().WriteEml(_folder);

        // A budget that has run out before reading starts: the clock is a fake that is advanced, never waited on.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var error = Assert.Throws<UnreadableItemException>(() => InboxItemReader.ReadWithin(path, TimeSpan.FromTicks(1), new AdvancingTimeProvider(time), CancellationToken.None));

        Assert.StartsWith("Reading this file took longer than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WithinBudget_Reads()
    {
        var path = MimeMessageBuilder.Create().Subject("Budget ok").WriteEml(_folder);

        var content = InboxItemReader.ReadWithin(path, TimeSpan.FromSeconds(30), new Microsoft.Extensions.Time.Testing.FakeTimeProvider(), CancellationToken.None);

        Assert.Equal("Budget ok", Assert.Single(content.Messages).Subject);
    }

    [Fact]
    public void Read_ShutdownCancelled_ThrowsCancellationNotUnreadable()
    {
        var path = MimeMessageBuilder.Create().WriteEml(_folder);
        using var shutdown = new CancellationTokenSource();
        shutdown.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => InboxItemReader.ReadWithin(path, TimeSpan.FromSeconds(30), TimeProvider.System, shutdown.Token));
    }

    /// <summary>A fake clock that moves past any timer as soon as it is created, so the budget is spent at once.</summary>
    private sealed class AdvancingTimeProvider(Microsoft.Extensions.Time.Testing.FakeTimeProvider inner) : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            inner.Advance(dueTime);
            return timer;
        }
    }
}
