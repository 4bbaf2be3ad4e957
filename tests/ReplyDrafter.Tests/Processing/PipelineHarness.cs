using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReplyDrafter.Drafts;
using ReplyDrafter.Inbox;
using ReplyDrafter.Learning;
using ReplyDrafter.Llm;
using ReplyDrafter.Notes;
using ReplyDrafter.Processing;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Processing;

/// <summary>The real pipeline types over a temp vault, with a <see cref="FakeLlmClient"/> at the LLM seam and a fake clock.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public const string MyEmail = "me@example.com";

    /// <param name="llm">What the pipeline calls instead of <see cref="Llm"/> directly (e.g. a decorator around it).</param>
    public PipelineHarness(Func<PipelineHarness, ILlmClient>? llm = null)
    {
        Ledger = new ReplyDrafter.Ledger.VaultLedger(Vault.Layout.LedgerPath);
        var client = llm?.Invoke(this) ?? Llm;
        var files = new OwnedFiles(Ledger, Vault.Layout, Time);
        var prompts = new PromptLibrary(Options.Create(new ReplyDrafterOptions { Vault = Vault.Root, Prompts = Path.Combine(AppContext.BaseDirectory, "prompts") }));
        var caller = new StepCaller(prompts, client, Options.Create(new LlmOptions()), NullLogger<StepCaller>.Instance);
        var me = new MeOptions { Name = "Me Myself", Email = MyEmail, Signature = "Me" };
        var writer = new StepWriter(files, Vault.Layout);
        Outcomes = new OutcomeTracker(
            Ledger, files, Vault.Layout, writer, Options.Create(me), Options.Create(Learning), Time, NullLogger<OutcomeTracker>.Instance);
        IThreadStep[] steps =
        [
            new NoteStep(caller, writer, Vault.Layout, Options.Create(me), NullLogger<NoteStep>.Instance),
            new DraftStep(caller, writer, files, Vault.Layout, Outcomes, Sinks, Options.Create(me), Time, NullLogger<DraftStep>.Instance),
        ];
        Threads = new ThreadProcessor(Ledger, steps, Outcomes, Time, NullLogger<ThreadProcessor>.Instance);
        People = new PeopleCache(Vault.Layout, NullLogger<PeopleCache>.Instance);
        Runner = new BatchRunner(
            Ledger, new MessageIngest(Ledger, files, Vault.Layout, Options.Create(me), Time, NullLogger<MessageIngest>.Instance), Threads, People, Options.Create(new LlmOptions()), Time,
            NullLogger<BatchRunner>.Instance);
        Source = new InboxFolderSource(Ledger, Vault.Layout, Options.Create(InboxOptions), Time, NullLogger<InboxFolderSource>.Instance);
    }

    public TempVault Vault { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public FakeLlmClient Llm { get; } = new();

    public LearningOptions Learning { get; } = new();

    public OutcomeTracker Outcomes { get; }

    public InboxOptions InboxOptions { get; } = new();

    public List<IDraftSink> Sinks { get; } = [];

    public ReplyDrafter.Ledger.VaultLedger Ledger { get; }

    public ThreadProcessor Threads { get; }

    public PeopleCache People { get; }

    public BatchRunner Runner { get; }

    public InboxFolderSource Source { get; }

    /// <summary>One batch of what is in the inbox, as <c>run --once</c> reads and settles it.</summary>
    public async Task<BatchOutcome> RunInboxAsync()
    {
        var (items, failed) = Source.Read(InboxItems.List(Vault.Layout.Inbox).ToList(), moveItems: true, progress: null, CancellationToken.None);
        var outcome = await Runner.ProcessAsync(items, null, CancellationToken.None, CancellationToken.None);
        return outcome with { Failed = outcome.Failed + failed };
    }

    public string WriteToInbox(string fileName, byte[] bytes)
    {
        var path = Path.Combine(Vault.Layout.Inbox, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        People.Dispose();
        Ledger.Dispose();
        Vault.Dispose();
    }
}
