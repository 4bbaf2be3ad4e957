using ReplyDrafter.Telemetry;
using ReplyDrafter.Cli;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.EndToEnd;

/// <summary>A vault, a misbehaving-on-demand LLM on loopback, and the real command line pointed at both.</summary>
internal sealed class DaemonHarness : IAsyncDisposable
{
    public const string MyName = "Ada Lovelace";
    public const string MyEmail = "ada@example.com";

    private DaemonHarness(FakeLlmServer server) => Server = server;

    public TempVault Vault { get; } = new();

    public FakeLlmServer Server { get; }

    /// <summary>Extra <c>--ReplyDrafter:...=...</c> settings for every run.</summary>
    public List<string> Settings { get; } = [];

    public static async Task<DaemonHarness> StartAsync() => new(await FakeLlmServer.StartAsync());

    public string[] Arguments(params string[] command) =>
    [
        .. command,
        "--vault", Vault.Root,
        "--ReplyDrafter:Llm:Provider=OpenAI",
        "--ReplyDrafter:Llm:Endpoint=" + Server.OpenAIEndpoint,
        "--ReplyDrafter:Llm:Deployment=" + FakeLlmServer.Model,
        "--ReplyDrafter:Llm:ApiKey=" + FakeLlmServer.ApiKey,
        "--ReplyDrafter:Llm:RetryBaseDelay=00:00:00.010",
        "--ReplyDrafter:Llm:AttemptTimeout=00:00:05",
        "--ReplyDrafter:Llm:TotalBudget=00:00:20",
        "--ReplyDrafter:Llm:MaxRetries=4",
        "--ReplyDrafter:Me:Name=" + MyName,
        "--ReplyDrafter:Me:Email=" + MyEmail,
        "--ReplyDrafter:Me:Signature=Ada Lovelace\nAnalytical Engines Ltd",
        "--ReplyDrafter:Inbox:StableFor=00:00:00",
        "--ReplyDrafter:Inbox:OnceLlmWait=00:00:03",
        .. Settings,
    ];

    public Task<(int ExitCode, string Output, string Error)> RunOnceAsync() => CommandLineTests.InvokeAsync(Arguments("run", "--once"));

    /// <summary><c>run --once</c> composed as Program.cs composes it, telemetry included (its chat client layer sees every fault).</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunOnceAsProgramAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await ReplyDrafterCommandLine.InvokeAsync(
            Arguments("run", "--once"),
            static settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.AddReplyDrafter();
                builder.AddReplyDrafterTelemetry();
                return builder;
            },
            CliConsole.Writers(TextWriter.Synchronized(output), TextWriter.Synchronized(error)));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Drops a message into the inbox as an .eml file.</summary>
    public string Drop(MimeMessageBuilder message, string fileName)
    {
        var path = Path.Combine(Vault.Layout.Inbox, fileName);
        File.WriteAllBytes(path, message.ToBytes());
        return path;
    }

    /// <summary>Drops a message into <c>Inbox/Sent/</c>, the drop folder for the user's own sent mail.</summary>
    public string DropSent(MimeMessageBuilder message, string fileName)
    {
        var folder = Path.Combine(Vault.Layout.Inbox, "Sent");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        File.WriteAllBytes(path, message.ToBytes());
        return path;
    }

    public string DropText(string fileName, string text)
    {
        var path = Path.Combine(Vault.Layout.Inbox, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public IReadOnlyList<string> Drafts() => Written("Outbox").Where(f => !f.Contains("/_prompts/", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<string> Notes() => Written("Notes");

    /// <summary>
    /// The files of a vault folder the daemon has finished writing: not its temp files, which a running daemon holds
    /// open (locked) until they are renamed into place.
    /// </summary>
    public IReadOnlyList<string> Written(string folder) => Vault.Files(folder).Where(f => !AtomicFile.IsTempFile(f)).ToList();

    /// <summary>
    /// Waits, on the file system's events, until <paramref name="folder"/> of the vault holds <paramref name="count"/>
    /// files: for what the daemon writes without a log line to wake <see cref="RunningDaemon.WaitUntilAsync"/>.
    /// </summary>
    public async Task WaitForFilesAsync(string folder, int count, TimeSpan timeout, string what)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Vault.Root) { IncludeSubdirectories = true };
        void OnEvent(object sender, FileSystemEventArgs e) => changed.Release();
        watcher.Created += OnEvent;
        watcher.Renamed += OnEvent;
        watcher.Changed += OnEvent;
        watcher.EnableRaisingEvents = true;
        using var cancel = new CancellationTokenSource(timeout);
        while (Written(folder).Count < count)
        {
            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (Written(folder).Count < count)
            {
                throw new TimeoutException($"{what} within {timeout}: {Written(folder).Count} of {count} files in {folder}.");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public IReadOnlyList<string> InboxLeft() =>
        Directory.EnumerateFiles(Vault.Layout.Inbox)
            .Concat(Directory.Exists(Path.Combine(Vault.Layout.Inbox, "Sent")) ? Directory.EnumerateFiles(Path.Combine(Vault.Layout.Inbox, "Sent")) : [])
            .ToList();

    public IReadOnlyDictionary<string, object?> FrontmatterOf(string relativePath) =>
        Frontmatter.Read(File.ReadAllText(Vault.Path(relativePath)));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Vault.Dispose();
    }
}
