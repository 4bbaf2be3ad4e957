using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Tests.Processing;

namespace ReplyDrafter.Tests.Inbox;

/// <summary>Close-write and moved-to events (Linux inotify) and the quiet-period fallback, on a fake clock; no sleeps.</summary>
public sealed class CloseEventTests : IDisposable
{
    private static readonly TimeSpan s_safety = TimeSpan.FromSeconds(20);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    /// <summary>A file last written "now" on the fake clock, so only the fake clock can make it quiet.</summary>
    private string FreshFile(string name)
    {
        var path = _folder.Write(name, "x");
        File.SetLastWriteTimeUtc(path, _time.GetUtcNow().UtcDateTime);
        return path;
    }

    [Fact]
    public void Check_NoEvents_FallsBackToTheQuietPeriod()
    {
        var tracker = new StabilityTracker(_time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var path = FreshFile("a.eml");

        Assert.Empty(tracker.Check([path]).Ready);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([path], tracker.Check([path]).Ready);
    }

    [Fact]
    public void Check_CloseEvent_ReadyAtOnceWithoutTheQuietPeriod()
    {
        var tracker = new StabilityTracker(_time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var path = FreshFile("a.eml");
        tracker.Observe(path, InboxEvent.Complete);

        Assert.Equal([path], tracker.Check([path]).Ready);
    }

    [Fact]
    public void Check_WriterStillOpen_NotReadyWhenQuietUntilItsCloseEvent()
    {
        var tracker = new StabilityTracker(_time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var path = FreshFile("a.eml");
        tracker.Observe(path, InboxEvent.Writing);

        Assert.Empty(tracker.Check([path]).Ready);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, tracker.Check([path]).Settling);

        tracker.Observe(path, InboxEvent.Complete);
        Assert.Equal([path], tracker.Check([path]).Ready);
    }

    [Fact]
    public void Check_CloseEventLost_QuietPeriodDecidesAfterTheOpenWriterLimit()
    {
        var tracker = new StabilityTracker(_time, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        var path = FreshFile("a.eml");
        tracker.Observe(path, InboxEvent.Writing);
        Assert.Empty(tracker.Check([path]).Ready);

        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([path], tracker.Check([path]).Ready);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Sent")] // the sent-mail drop folder, there at the start
    public async Task TryStart_FileRenamedIn_ReportsItComplete(string? subfolder)
    {
        using var inbox = new TempFolder();
        var folder = subfolder is null ? inbox.Path : Directory.CreateDirectory(Path.Combine(inbox.Path, subfolder)).FullName;
        var target = Path.Combine(folder, "m.eml");
        var renamedIn = new TaskCompletionSource<InboxEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = InotifyWatcher.TryStart(inbox.Path, (path, kind) => _ = path == target && renamedIn.TrySetResult(kind), out var error, "Sent");
        Assert.True(watcher is not null, error);

        File.Move(_folder.Write("m.eml", "complete message"), target);

        Assert.Equal(InboxEvent.Complete, await renamedIn.Task.WaitAsync(s_safety));
    }

    [Fact]
    public async Task TryStart_FileWrittenThenClosed_ReportsWritingThenComplete()
    {
        using var inbox = new TempFolder();
        var target = Path.Combine(inbox.Path, "w.eml");
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = InotifyWatcher.TryStart(inbox.Path, (path, kind) =>
        {
            if (path == target)
            {
                _ = kind == InboxEvent.Writing ? writing.TrySetResult() : kind == InboxEvent.Complete ? closed.TrySetResult() : false;
            }
        }, out var error);
        Assert.True(watcher is not null, error);

        var stream = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        await using (stream)
        {
            stream.Write("part one"u8);
            stream.Flush();
            await writing.Task.WaitAsync(s_safety);
            Assert.False(closed.Task.IsCompleted, "no close event while the writer has the file open");
        }

        await closed.Task.WaitAsync(s_safety);
    }

    [Fact]
    public async Task TryStart_SentFolderMadeLaterThenRemovedAndMadeAgain_WatchedEachTimeAndTheInboxStillIs()
    {
        using var inbox = new TempFolder();
        var sent = Path.Combine(inbox.Path, "Sent");
        var events = System.Threading.Channels.Channel.CreateUnbounded<(string Path, InboxEvent Kind)>();
        using var watcher = InotifyWatcher.TryStart(inbox.Path, (path, kind) => events.Writer.TryWrite((path, kind)), out var error, "Sent");
        Assert.True(watcher is not null, error);

        async Task Expect(string path, InboxEvent kind)
        {
            using var cancel = new CancellationTokenSource(s_safety);
            while (await events.Reader.ReadAsync(cancel.Token) is var e && (e.Path, e.Kind) != (path, kind))
            {
            }
        }

        for (int round = 0; round < 2; round++)
        {
            Directory.CreateDirectory(sent);
            await Expect(sent, InboxEvent.Complete); // made: watched, and a rescan asked for
            File.Move(_folder.Write("r.eml", "my reply"), Path.Combine(sent, $"r{round}.eml"));
            await Expect(Path.Combine(sent, $"r{round}.eml"), InboxEvent.Complete);
            Directory.Delete(sent, recursive: true);
        }

        File.Move(_folder.Write("m.eml", "a message"), Path.Combine(inbox.Path, "m.eml"));
        await Expect(Path.Combine(inbox.Path, "m.eml"), InboxEvent.Complete);
    }

    [Fact]
    public async Task Watch_ReplyRenamedIntoTheSentDropFolder_ReadFromItsEventWithoutARescan()
    {
        using var pipeline = new PipelineHarness();
        var sent = Directory.CreateDirectory(Path.Combine(pipeline.Vault.Layout.Inbox, InboxItems.SentFolder)).FullName;
        var probed = new ProbeSignal(pipeline.Llm);
        using var worker = new InboxWorker(
            pipeline.Source, pipeline.Runner, new NoProgress(), pipeline.Vault.Layout, probed, new RunRequest { Mode = RunMode.Daemon },
            Options.Create(pipeline.InboxOptions), Options.Create(new MeOptions { Email = PipelineHarness.MyEmail }), pipeline.Time, new NoLifetime(),
            NullLogger<InboxWorker>.Instance);
        using var archived = new SemaphoreSlim(0);
        Directory.CreateDirectory(pipeline.Vault.Layout.Archive);
        using var archive = new FileSystemWatcher(pipeline.Vault.Layout.Archive) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        archive.Created += (_, _) => archived.Release();
        archive.Renamed += (_, _) => archived.Release();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var reply = ReplyDrafter.Tests.TestData.MimeMessageBuilder.Create().MessageId("my-reply@example.com").From("Me Myself", PipelineHarness.MyEmail)
                .To("Alice", "alice@example.com").Subject("Re: Lunch").PlainBody("Yes, Friday works.");
            var outside = _folder.WriteBytes("reply.eml", reply.ToBytes());
            File.SetLastWriteTimeUtc(outside, pipeline.Time.GetUtcNow().UtcDateTime);
            await probed.Probed.Task.WaitAsync(s_safety); // the watches are set before the LLM is probed

            // The fake clock never moves: no rescan and no quiet period, only the Sent folder's own event.
            File.Move(outside, Path.Combine(sent, "reply.eml"));
            await archived.WaitAsync(s_safety);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Empty(Directory.EnumerateFiles(sent));
        Assert.All(pipeline.Llm.Requests, r => Assert.Equal("thread-note", r.Step)); // the user's own reply: a note, no draft
    }

    [Fact]
    public async Task Watch_FileRenamedIntoTheInbox_ProcessedFromItsMovedToEvent()
    {
        using var pipeline = new PipelineHarness();
        var delivered = new DeliveryProbe();
        pipeline.Sinks.Add(delivered);

        // The fake clock never moves: neither the quiet period nor the rescan can pick the file up, only the event.
        var probed = new ProbeSignal(pipeline.Llm);
        using var worker = new InboxWorker(
            pipeline.Source, pipeline.Runner, new NoProgress(), pipeline.Vault.Layout, probed, new RunRequest { Mode = RunMode.Daemon },
            Options.Create(pipeline.InboxOptions), Options.Create(new MeOptions { Email = PipelineHarness.MyEmail }), pipeline.Time, new NoLifetime(),
            NullLogger<InboxWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var outside = _folder.WriteBytes("new.eml", BatchRunnerTests.Eml("moved@example.com", "Moved in"));
            File.SetLastWriteTimeUtc(outside, pipeline.Time.GetUtcNow().UtcDateTime);
            await probed.Probed.Task.WaitAsync(s_safety); // the watch is set before the LLM is probed
            File.Move(outside, Path.Combine(pipeline.Vault.Layout.Inbox, "new.eml"));

            Assert.Equal("Re: Moved in", (await delivered.Delivered.Task.WaitAsync(s_safety)).Draft.Subject);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Single(pipeline.Vault.Files("Inbox/_archive"));
    }

    [Fact]
    public async Task Watch_FileStillOpenByItsWriter_NeverReadHalfAndReadWholeOnClose()
    {
        using var pipeline = new PipelineHarness();
        var delivered = new DeliveryProbe();
        pipeline.Sinks.Add(delivered);
        var probed = new ProbeSignal(pipeline.Llm);
        using var worker = new InboxWorker(
            pipeline.Source, pipeline.Runner, new NoProgress(), pipeline.Vault.Layout, probed, new RunRequest { Mode = RunMode.Daemon },
            Options.Create(pipeline.InboxOptions), Options.Create(new MeOptions { Email = PipelineHarness.MyEmail }), pipeline.Time, new NoLifetime(),
            NullLogger<InboxWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await probed.Probed.Task.WaitAsync(s_safety);
            var full = Encoding.UTF8.GetString(BatchRunnerTests.Eml("open@example.com", "Open file")).Replace("Could you", "PART-ONE Could you", StringComparison.Ordinal)
                + "PART-TWO and the contract.\r\n";
            var cut = full.IndexOf("PART-TWO", StringComparison.Ordinal);
            var path = Path.Combine(pipeline.Vault.Layout.Inbox, "open.eml");
            var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            await using (writer)
            {
                writer.Write(Encoding.UTF8.GetBytes(full[..cut]));
                writer.Flush();

                // Old enough that the quiet period alone would take it: only the writer's open handle keeps it out.
                File.SetLastWriteTimeUtc(path, pipeline.Time.GetUtcNow().UtcDateTime.AddHours(-1));

                // A complete file renamed in after part 1: its event comes after part 1's, so its batch saw the open file.
                var other = _folder.WriteBytes("other.eml", BatchRunnerTests.Eml("other@example.com", "Other"));
                File.Move(other, Path.Combine(pipeline.Vault.Layout.Inbox, "other.eml"));
                Assert.Equal("Re: Other", (await delivered.Delivered.Task.WaitAsync(s_safety)).Draft.Subject);
                Assert.True(File.Exists(path));
                Assert.DoesNotContain(pipeline.Llm.Requests, r => r.Messages.Any(m => m.Text?.Contains("PART-ONE", StringComparison.Ordinal) == true));

                delivered.Reset();
                writer.Write(Encoding.UTF8.GetBytes(full[cut..]));
            }

            var draft = await delivered.Delivered.Task.WaitAsync(s_safety);
            Assert.Equal("Re: Open file", draft.Draft.Subject);
            Assert.Contains("PART-TWO", draft.Original.Body, StringComparison.Ordinal);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Equal(2, pipeline.Vault.Files("Inbox/_archive").Count);
    }

    private sealed class DeliveryProbe : IDraftSink
    {
        public TaskCompletionSource<DraftDelivery> Delivered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reset() => Delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken)
        {
            Delivered.TrySetResult(draft);
            return Task.CompletedTask;
        }

        public Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken) => Task.FromResult(DraftWithdrawal.Gone);
    }

    private sealed class ProbeSignal(ReplyDrafter.Llm.ILlmClient inner) : ReplyDrafter.Llm.ILlmClient
    {
        public TaskCompletionSource Probed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReplyDrafter.Llm.ProviderInfo Provider => inner.Provider;

        public Task<ReplyDrafter.Llm.LlmResponse> SendAsync(ReplyDrafter.Llm.LlmRequest request, CancellationToken cancellationToken) => inner.SendAsync(request, cancellationToken);

        public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
        {
            var result = await inner.ProbeAsync(cancellationToken);
            Probed.TrySetResult();
            return result;
        }
    }

    private sealed class NoProgress : IBatchProgress
    {
        public bool IsShowing => false;

        public Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work) => work(null);
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
