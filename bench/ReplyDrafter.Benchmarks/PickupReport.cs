using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Llm;
using ReplyDrafter.Notes;
using ReplyDrafter.Processing;
using ReplyDrafter.Steps;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// How long a complete message renamed into <c>Inbox/</c> takes to be drafted, with an instant LLM: the real daemon
/// worker (inotify close/rename events on Linux) and pipeline over a temp vault, on the real clock, default settings
/// (so the 2 s quiet period would show if the events were not used).
/// </summary>
internal static class PickupReport
{
    private const int Rounds = 20;

    public static async Task RunAsync(TextWriter output)
    {
        var root = Path.Combine(Path.GetTempPath(), "replydrafter-pickup-" + Guid.NewGuid().ToString("N"));
        var outside = Path.Combine(root, "outside");
        Directory.CreateDirectory(outside);
        var layout = new VaultLayout(Path.Combine(root, "vault"), new FolderOptions());
        Cli.CliHost.PrepareVault(layout);
        var sink = new Sink();
        try
        {
            using var ledger = new Ledger.VaultLedger(layout.LedgerPath);
            var time = TimeProvider.System;
            var llm = new InstantLlm();
            var files = new OwnedFiles(ledger, layout, time);
            var prompts = new PromptLibrary(Options.Create(new ReplyDrafterOptions { Vault = layout.Root }));
            var caller = new StepCaller(prompts, llm, Options.Create(new LlmOptions()), NullLogger<StepCaller>.Instance);
            var me = Options.Create(new MeOptions { Name = "Me Myself", Email = "me@example.com", Signature = "Me" });
            var writer = new StepWriter(files, layout);
            var outcomes = new Learning.OutcomeTracker(
                ledger, files, layout, writer, me, Options.Create(new Learning.LearningOptions()), time, NullLogger<Learning.OutcomeTracker>.Instance);
            IThreadStep[] steps =
            [
                new NoteStep(caller, writer, layout, me, NullLogger<NoteStep>.Instance),
                new DraftStep(caller, writer, files, layout, outcomes, [sink], me, time, NullLogger<DraftStep>.Instance),
            ];
            var threads = new ThreadProcessor(ledger, steps, outcomes, time, NullLogger<ThreadProcessor>.Instance);
            using var people = new PeopleCache(layout, NullLogger<PeopleCache>.Instance);
            var runner = new BatchRunner(
                ledger, new MessageIngest(ledger, files, layout, me, time, NullLogger<MessageIngest>.Instance), threads, people, Options.Create(new LlmOptions()), time,
                NullLogger<BatchRunner>.Instance);
            var inbox = Options.Create(new InboxOptions());
            var source = new InboxFolderSource(ledger, layout, inbox, time, NullLogger<InboxFolderSource>.Instance);
            using var worker = new InboxWorker(
                source, runner, new NoProgress(), layout, llm, new RunRequest { Mode = RunMode.Daemon }, inbox, me, time, new NoLifetime(), NullLogger<InboxWorker>.Instance);
            await worker.StartAsync(CancellationToken.None);
            await llm.Probed.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var latencies = new List<double>();
            for (var i = -1; i < Rounds; i++)
            {
                var file = Path.Combine(outside, $"m{i + 1}.eml");
                File.WriteAllText(file, Eml(i + 1), Encoding.UTF8);
                var delivered = sink.Next();
                var clock = Stopwatch.StartNew();
                File.Move(file, Path.Combine(layout.Inbox, Path.GetFileName(file)));
                await delivered.WaitAsync(TimeSpan.FromSeconds(60));
                if (i >= 0)
                {
                    latencies.Add(clock.Elapsed.TotalMilliseconds); // the first message only warms up (JIT, SQLite)
                }
            }

            await worker.StopAsync(CancellationToken.None);
            latencies.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Renamed into Inbox/ -> draft delivered (instant LLM, {Rounds} messages one by one): median {latencies[Rounds / 2]:0} ms, " +
                $"fastest {latencies[0]:0} ms, slowest {latencies[^1]:0} ms (target: under 500 ms)"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Eml(int i) =>
        $"From: Bob Sender <bob@example.com>\r\nTo: Me Myself <me@example.com>\r\nSubject: Topic {i}\r\n" +
        $"Date: Mon, 05 Jan 2026 08:00:00 +0000\r\nMessage-ID: <pickup-{i}@example.com>\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\nCould you send the numbers by Friday?\r\n";

    private sealed class Sink : IDraftSink
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next()
        {
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }

        public Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken)
        {
            _next.TrySetResult();
            return Task.CompletedTask;
        }

        public Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken) => Task.FromResult(DraftWithdrawal.Gone);
    }

    /// <summary>Answers at once with the tests' canned note and draft.</summary>
    private sealed class InstantLlm : ILlmClient
    {
        public TaskCompletionSource Probed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ProviderInfo Provider { get; } = new("instant", "in-process", "instant", null, new Dictionary<string, string>());

        public Task<LlmResponse> SendAsync(LlmRequest request, CancellationToken cancellationToken)
        {
            var text = request.Step == "thread-note" ? FakeLlmServer.CannedNote(replyNeeded: true) : FakeLlmServer.CannedDraft();
            using var document = JsonDocument.Parse(text);
            return Task.FromResult(new LlmResponse(
                text, document.RootElement.Clone(), "stop", null, "instant", new LlmUsage(10, 5, 15), TimeSpan.Zero, 1, null, DateTimeOffset.UtcNow));
        }

        public Task<string?> ProbeAsync(CancellationToken cancellationToken)
        {
            Probed.TrySetResult();
            return Task.FromResult<string?>(null);
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
