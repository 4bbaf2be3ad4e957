using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Tests.Processing;

namespace ReplyDrafter.Tests.Learning;

/// <summary>The daemon marks unanswered drafts as ignored on its scans, on the fake clock.</summary>
public sealed class IgnoredDraftsTests : IDisposable
{
    private readonly PipelineHarness _pipeline = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task ExecuteAsync_DaemonScanAfterIgnoredAfter_MarksTheDraftIgnored()
    {
        _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("a@example.com", "Budget"));
        await _pipeline.RunInboxAsync();
        var draft = _pipeline.Vault.Files("Outbox").Single(f => !f.StartsWith("Outbox/_prompts/", StringComparison.Ordinal));
        var file = _pipeline.Vault.Path(draft);
        var before = File.ReadAllText(file);
        _pipeline.Time.Advance(_pipeline.Learning.IgnoredAfter);

        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!) { EnableRaisingEvents = true };
        watcher.Renamed += (_, _) => changed.Release();
        watcher.Changed += (_, _) => changed.Release();
        watcher.Created += (_, _) => changed.Release();
        using var stop = new CancellationTokenSource();
        _pipeline.InboxOptions.StableFor = TimeSpan.Zero;
        using var worker = new InboxWorker(
            _pipeline.Source, _pipeline.Runner, new NoProgress(), _pipeline.Vault.Layout, _pipeline.Llm, new RunRequest { Mode = RunMode.Daemon },
            Options.Create(_pipeline.InboxOptions), Options.Create(new MeOptions { Email = PipelineHarness.MyEmail }), _pipeline.Time, new Lifetime(),
            NullLogger<InboxWorker>.Instance, outcomes: _pipeline.Outcomes);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            while (!File.ReadAllText(file).Contains("status: ignored", StringComparison.Ordinal))
            {
                Assert.True(await changed.WaitAsync(TimeSpan.FromSeconds(10)), "the draft was not marked");
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Equal(before.Replace("status: pending\n", "status: ignored\n", StringComparison.Ordinal), File.ReadAllText(file));
        Assert.Equal("ignored", _pipeline.Ledger.FindDraft(draft)?.Outcome);
    }

    private sealed class NoProgress : IBatchProgress
    {
        public bool IsShowing => false;

        public Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work) => work(null);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
