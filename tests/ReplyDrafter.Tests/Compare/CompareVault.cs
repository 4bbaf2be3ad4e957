using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Tests.Compare;

/// <summary>
/// A vault with six drafts and what the user really sent for each (learned by the real pipeline: two <c>run --once</c>
/// against the fake LLM server), built once; every test works on its own copy.
/// </summary>
public sealed class CompareVault : IAsyncLifetime
{
    /// <summary>Each thread's subject and the words the user sent (before the signature).</summary>
    public static readonly IReadOnlyList<(string Subject, string Sent)> Threads =
    [
        ("Kiwi", "Hi Alice,\n\nThanks for the reminder. I will send the revised Q3 budget by Thursday evening."),
        ("Mango", "Hi Alice, thanks for the reminder. I will send the revised budget on Friday morning."),
        ("Pear", "No."),
        ("Plum", "Hi Alice,\n\nThanks. The budget is late, sorry; I will send it next week."),
        ("Fig", "Dear Alice, the numbers are with finance and will reach you on Monday <b>&amp;</b> not before."),
        ("Lime", "Thanks for the reminder. I will send the revised Q3 budget by Thursday."),
    ];

    private const string Signature = "\n\nAda Lovelace\nAnalytical Engines Ltd";

    private DaemonHarness? _harness;

    internal DaemonHarness Harness => _harness ?? throw new InvalidOperationException("not started");

    internal FakeLlmServer Server => Harness.Server;

    public async Task InitializeAsync()
    {
        _harness = await DaemonHarness.StartAsync();
        for (int i = 0; i < Threads.Count; i++)
        {
            var subject = Threads[i].Subject;
            Harness.Drop(
                MimeMessageBuilder.ToMe($"{subject.ToLowerInvariant()}@x", subject, body: "Can you send the revised Q3 budget before Friday?", fromName: "Alice Example", fromAddress: "alice@example.com"),
                $"{i}.eml");
        }

        await RunOnceAsync();
        for (int i = 0; i < Threads.Count; i++)
        {
            var (subject, sent) = Threads[i];
            Harness.DropSent(
                MimeMessageBuilder.Create()
                    .MessageId($"r-{subject.ToLowerInvariant()}@x")
                    .From(DaemonHarness.MyName, DaemonHarness.MyEmail)
                    .To("", "alice@example.com")
                    .Subject("Re: " + subject)
                    .Date(new DateTimeOffset(2025, 12, 2, 10, 0, 0, TimeSpan.Zero))
                    .PlainBody(sent + Signature)
                    .ReplyTo($"{subject.ToLowerInvariant()}@x"),
                $"r{i}.eml");
        }

        await RunOnceAsync();
    }

    /// <summary>A fresh copy of the vault for one test.</summary>
    internal TempVault Copy()
    {
        var copy = new TempVault();
        foreach (var file in Harness.Vault.Files())
        {
            var target = copy.Path(file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Harness.Vault.Path(file), target, overwrite: true);
        }

        return copy;
    }

    /// <summary>The harness's arguments (server, identity, retry settings), pointed at <paramref name="vault"/>.</summary>
    internal string[] Arguments(TempVault vault, params string[] command)
    {
        var args = Harness.Arguments(command);
        args[Array.IndexOf(args, "--vault") + 1] = vault.Root;
        return args;
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private async Task RunOnceAsync()
    {
        var (code, _, error) = await CommandLineTests.InvokeAsync(Harness.Arguments("run", "--once"));
        if (code != 0 || Harness.InboxLeft().Count != 0)
        {
            throw new InvalidOperationException("The vault for the compare tests did not build: " + error);
        }
    }
}
