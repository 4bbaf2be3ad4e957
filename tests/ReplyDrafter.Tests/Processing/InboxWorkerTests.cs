using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReplyDrafter.Inbox;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.Processing;

public sealed class InboxWorkerTests : IDisposable
{
    private readonly PipelineHarness _pipeline = new();
    private readonly StoppingLifetime _lifetime = new();

    public void Dispose() => _pipeline.Dispose();

    [Fact]
    public async Task RunOnceAsync_Once_ProcessesTheInboxShowsProgressAndReturns0()
    {
        for (var i = 0; i < 6; i++)
        {
            _pipeline.WriteToInbox($"m{i}.eml", BatchRunnerTests.Eml($"m{i}@example.com", $"Topic {i}"));
        }

        var progress = new RecordingProgress();
        var request = new RunRequest { Mode = RunMode.Once };

        int code = await RunAsync(request, progress);

        Assert.Equal(0, code);
        Assert.True(_lifetime.Stopped);
        Assert.Equal(6, _pipeline.Vault.Files("Inbox/_archive").Count);
        Assert.Equal(6, progress.Items);
        Assert.Equal(1.0, progress.Reported.Max(), 3);
        // Reading is sequential and the first tenth of the bar: 1/60 ... 6/60, in order.
        Assert.Equal([0.016667, 0.033333, 0.05, 0.066667, 0.083333, 0.1], progress.Reported.Take(6).Select(r => Math.Round(r, 6)));
    }

    [Fact]
    public async Task RunOnceAsync_Files_FailedItemLeftInPlaceAndReturns1()
    {
        _pipeline.Llm.Answer = _ => throw new LlmException(LlmFailureKind.Rejected, "The model refused.");
        var path = _pipeline.WriteToInbox("a.eml", BatchRunnerTests.Eml("a@example.com", "Refused"));
        var request = new RunRequest { Mode = RunMode.Files, Files = [path] };

        int code = await RunAsync(request, new RecordingProgress());

        Assert.Equal(1, code);
        Assert.Equal(["Inbox/a.eml"], _pipeline.Vault.Files("Inbox"));
        Assert.Equal("The model refused.", Assert.Single(_pipeline.Ledger.Items(ReplyDrafter.Ledger.ItemStates.Failed)).Detail);
    }

    [Fact]
    public async Task RunOnceAsync_OnceSourceThatNeverFinishes_StopsAtOnceTimeLimitAndReturns1()
    {
        _pipeline.InboxOptions.OnceTimeLimit = TimeSpan.FromMinutes(5);
        var hanging = new HangingOnceSource();
        var request = new RunRequest { Mode = RunMode.Once };

        var run = RunAsync(request, new RecordingProgress(), hanging);
        await hanging.Started.Task;
        _pipeline.Time.Advance(TimeSpan.FromMinutes(5));
        int code = await run;

        Assert.Equal(1, code);
        Assert.True(hanging.Cancelled);
        Assert.True(_lifetime.Stopped);
    }

    private async Task<int> RunAsync(RunRequest request, IBatchProgress progress, IOnceSource? once = null)
    {
        _pipeline.InboxOptions.StableFor = TimeSpan.Zero;
        using var worker = new InboxWorker(
            _pipeline.Source, _pipeline.Runner, progress, _pipeline.Vault.Layout, _pipeline.Llm, request, Options.Create(_pipeline.InboxOptions),
            Options.Create(new MeOptions { Email = PipelineHarness.MyEmail }), _pipeline.Time, _lifetime, NullLogger<InboxWorker>.Instance,
            onceSources: once is null ? null : [once]);
        return await worker.RunOnceAsync(CancellationToken.None);
    }

    private sealed class RecordingProgress : IBatchProgress
    {
        public List<double> Reported { get; } = [];

        public int Items { get; private set; }

        public bool IsShowing => false;

        public Task<T> RunAsync<T>(int items, Func<IProgress<double>?, Task<T>> work)
        {
            Items = items;
            return work(new Synchronous(Reported));
        }

        private sealed class Synchronous(List<double> reported) : IProgress<double>
        {
            public void Report(double value)
            {
                lock (reported)
                {
                    reported.Add(value);
                }
            }
        }
    }

    /// <summary>A mailbox that never finishes (a server streaming untagged responses forever, say).</summary>
    private sealed class HangingOnceSource : IOnceSource
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Cancelled { get; private set; }

        public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }

            return 0;
        }
    }

    private sealed class StoppingLifetime : IHostApplicationLifetime
    {
        public bool Stopped { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopped = true;
    }
}
