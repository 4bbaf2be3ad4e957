using System.Text;
using BenchmarkDotNet.Attributes;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// <see cref="InboxItemReader.Read"/> on typical inbox files. The attachment case is about memory: the 3 MB of base64
/// content must only be streamed through, so its Allocated column stays far below 3 MB.
/// </summary>
[MemoryDiagnoser]
public class ReadingBenchmarks
{
    private string _folder = "";
    private string _plain = "";
    private string _html = "";
    private string _attachment = "";
    private string _mbox = "";

    [GlobalSetup]
    public void Setup()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _folder = Directory.CreateTempSubdirectory("replydrafter-bench-").FullName;
        _plain = Write("plain.eml", SampleMail.ToBytes(SampleMail.Plain()));
        _html = Write("html-1252.eml", SampleMail.ToBytes(SampleMail.HtmlWindows1252()));
        _attachment = Write("attachment-3mb.eml", SampleMail.ToBytes(SampleMail.WithAttachment(3 * 1024 * 1024)));

        // 50 messages: ten 5-message reply chains.
        var messages = Enumerable.Range(0, 10).SelectMany(t => SampleMail.Thread(5, "mbox" + t));
        _mbox = Write("fifty.mbox", SampleMail.ToMbox(messages));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public InboxItemContent PlainEml() => InboxItemReader.Read(_plain, CancellationToken.None);

    [Benchmark]
    public InboxItemContent HtmlOnlyWindows1252Eml() => InboxItemReader.Read(_html, CancellationToken.None);

    [Benchmark]
    public InboxItemContent Attachment3MbEml() => InboxItemReader.Read(_attachment, CancellationToken.None);

    [Benchmark]
    public InboxItemContent Mbox50Messages() => InboxItemReader.Read(_mbox, CancellationToken.None);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
