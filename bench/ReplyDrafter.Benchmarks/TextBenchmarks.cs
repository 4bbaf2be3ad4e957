using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// Text clean-up that runs on every message. Compare ratios within a category: repairing clean text (the common
/// case) must cost a small fraction of repairing real mojibake.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TextBenchmarks
{
    private string _ascii = "";
    private string _clean = "";
    private string _mojibake = "";
    private string _replyChain = "";
    private string _html = "";
    private string _fiveMegabyteReply = "";

    [GlobalSetup]
    public void Setup()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _clean = SampleMail.BusinessText(8_000);
        _ascii = Encoding.ASCII.GetString(Encoding.ASCII.GetBytes(_clean));
        _mojibake = SampleMail.AsWindows1252Mojibake(_clean);

        // The body of the 12th message of a chain: eleven earlier messages quoted below, Gmail and Outlook style.
        using var latest = SampleMail.Thread(12)[^1];
        _replyChain = latest.TextBody ?? "";
        _html = SampleMail.NewsletterHtml();

        // 5 MB of inline answers: each attribution asks what follows it, the answer must not cost a scan to the end.
        const string Block = "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n> Tuesday?\nYes, Tuesday.\n";
        _fiveMegabyteReply = string.Concat(Enumerable.Repeat(Block, 5_000_000 / Block.Length));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Mojibake")]
    public string RepairCleanAccentedText() => Mojibake.Repair(_clean);

    [Benchmark, BenchmarkCategory("Mojibake")]
    public string RepairCleanAsciiText() => Mojibake.Repair(_ascii);

    [Benchmark, BenchmarkCategory("Mojibake")]
    public string RepairMojibakeText() => Mojibake.Repair(_mojibake);

    [Benchmark(Baseline = true), BenchmarkCategory("Quotes")]
    public string OwnTextOfLongReplyChain() => QuoteStripper.OwnText(_replyChain);

    [Benchmark, BenchmarkCategory("Quotes")]
    public string OwnTextOfFiveMegabyteReply() => QuoteStripper.OwnText(_fiveMegabyteReply);

    [Benchmark(Baseline = true), BenchmarkCategory("Html")]
    public string HtmlToText() => HtmlText.ToText(_html);
}
