using System.Diagnostics;
using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Cli;
using ReplyDrafter.Imap;
using ReplyDrafter.Inbox;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.Imap;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// <c>--imap</c>: against a Dovecot started here (the tests' DovecotServer) and the tests' fake LLM answering at once,
/// (1) the time from APPEND into INBOX to our draft in the Drafts folder, through the real daemon (IDLE, pipeline,
/// Drafts sink), median of <see cref="Arrivals"/>; (2) the managed memory while the mailbox source catches up over
/// <see cref="Mailbox"/> messages (each one read and converted as the pipeline does, then dropped).
/// </summary>
internal static class ImapReport
{
    private const int Arrivals = 15;
    private const int Mailbox = 10_000;
    private const int Batch = 40;
    private static readonly TimeSpan ModelLatency = TimeSpan.FromMilliseconds(500);

    /// <param name="latencyOnly">Only the arrival-to-draft time (<c>--imap-latency</c>).</param>
    /// <param name="versusFolderOnly">Only the IMAP-versus-folder comparison (<c>--imap-vs-folder</c>), under a minute.</param>
    public static async Task RunAsync(TextWriter output, bool latencyOnly = false, bool versusFolderOnly = false)
    {
        var dovecot = new DovecotServer();
        await dovecot.InitializeAsync();
        try
        {
            if (!latencyOnly)
            {
                await ImapVersusFolderAsync(dovecot, output);
            }

            if (versusFolderOnly)
            {
                return;
            }

            await LatencyAsync(dovecot, output);
            if (!latencyOnly)
            {
                await CatchUpMemoryAsync(dovecot, output);
            }
        }
        finally
        {
            await dovecot.DisposeAsync();
        }
    }

    /// <summary>
    /// The same <see cref="Batch"/> waiting messages through <c>run --once</c> in process, once from the inbox folder and
    /// once over IMAP, with a model that takes <see cref="ModelLatency"/> per call: what IMAP adds, from the process start
    /// to its exit (the fake model's latency dominates; Llm:MaxConcurrency is the default).
    /// </summary>
    private static async Task ImapVersusFolderAsync(DovecotServer dovecot, TextWriter output)
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.ResponseDelay = ModelLatency;
        var messages = Enumerable.Range(0, Batch).Select(Question).ToList();

        string folderVault = Directory.CreateTempSubdirectory("replydrafter-bench-folder").FullName;
        var inbox = Directory.CreateDirectory(Path.Combine(folderVault, "Inbox"));
        for (int i = 0; i < Batch; i++)
        {
            await messages[i].WriteToAsync(Path.Combine(inbox.FullName, string.Create(CultureInfo.InvariantCulture, $"mail-{i:D3}.eml")));
        }

        var (folderCode, folderTime) = await RunOnceAsync(folderVault, llm, []);

        var user = dovecot.NewUser();
        await dovecot.CreateFolderAsync(user, "Drafts");
        using (var client = await dovecot.ConnectAsync(user))
        {
            var folder = await client.GetFolderAsync("INBOX");
            await folder.AppendAsync(messages.Select(m => (IAppendRequest)new AppendRequest(m, MessageFlags.None, DateTimeOffset.UtcNow.AddHours(-1))).ToList());
            await client.DisconnectAsync(true);
        }

        string imapVault = Directory.CreateTempSubdirectory("replydrafter-bench-imap40").FullName;
        var (imapCode, imapTime) = await RunOnceAsync(imapVault, llm,
        [
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + dovecot.Port.ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:Password=" + user.Password,
        ]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Batch} messages, model {ModelLatency.TotalMilliseconds:F0} ms per call, run --once: Inbox/ {folderTime.TotalSeconds:F1} s (exit {folderCode}), IMAP {imapTime.TotalSeconds:F1} s (exit {imapCode}); IMAP/folder {imapTime / folderTime:F2}x"));
        Directory.Delete(folderVault, recursive: true);
        Directory.Delete(imapVault, recursive: true);
    }

    private static async Task<(int Code, TimeSpan Elapsed)> RunOnceAsync(string vault, FakeLlmServer llm, IReadOnlyList<string> extra)
    {
        var clock = Stopwatch.StartNew();
        int code = await ReplyDrafterCommandLine.InvokeAsync(
            [
                "run", "--once", "--vault", vault,
                "--ReplyDrafter:Llm:Provider=OpenAI",
                "--ReplyDrafter:Llm:Endpoint=" + llm.OpenAIEndpoint,
                "--ReplyDrafter:Llm:Deployment=" + FakeLlmServer.Model,
                "--ReplyDrafter:Llm:ApiKey=" + FakeLlmServer.ApiKey,
                "--ReplyDrafter:Me:Name=Ada Lovelace",
                "--ReplyDrafter:Me:Email=ada@example.com",
                "--ReplyDrafter:Inbox:StableFor=00:00:00",
                "--Serilog:MinimumLevel:Default=Warning",
                .. extra,
            ],
            static settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.AddReplyDrafter();
                return builder;
            },
            CliConsole.Writers(TextWriter.Null, TextWriter.Null));
        return (code, clock.Elapsed);
    }

    private static async Task LatencyAsync(DovecotServer dovecot, TextWriter output)
    {
        await using var llm = await FakeLlmServer.StartAsync();
        var user = dovecot.NewUser();
        await dovecot.CreateFolderAsync(user, "Drafts");
        string vault = Directory.CreateTempSubdirectory("replydrafter-bench-imap").FullName;
        string[] settings =
        [
            "--ReplyDrafter:Llm:Provider=OpenAI",
            "--ReplyDrafter:Llm:Endpoint=" + llm.OpenAIEndpoint,
            "--ReplyDrafter:Llm:Deployment=" + FakeLlmServer.Model,
            "--ReplyDrafter:Llm:ApiKey=" + FakeLlmServer.ApiKey,
            "--ReplyDrafter:Me:Name=Ada Lovelace",
            "--ReplyDrafter:Me:Email=ada@example.com",
            "--ReplyDrafter:Imap:Host=127.0.0.1",
            "--ReplyDrafter:Imap:Port=" + dovecot.Port.ToString(CultureInfo.InvariantCulture),
            "--ReplyDrafter:Imap:Security=None",
            "--ReplyDrafter:Imap:Username=" + user.Name,
            "--ReplyDrafter:Imap:Password=" + user.Password,
            "--Serilog:MinimumLevel:Default=Warning",
        ];
        using var host = CliHost.Build(
            s =>
            {
                var builder = Host.CreateApplicationBuilder(s);
                builder.AddReplyDrafter();
                return builder;
            },
            new CommonArguments(vault, settings, CliConsole.Writers(TextWriter.Null, TextWriter.Null)),
            new RunRequest { Mode = RunMode.Daemon });
        CliHost.Validate(host);
        CliHost.PrepareVault(host.Services.GetRequiredService<VaultLayout>());
        var state = host.Services.GetRequiredService<ImapConnectionState>();
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long woken = 0; // when the daemon last started a catch-up: the server's IDLE notice (or mail found on the way to IDLE)
        state.Changed += s =>
        {
            if (s.Status == ImapConnectionStatus.Idle)
            {
                idle.TrySetResult();
            }
            else if (s.Status == ImapConnectionStatus.CatchingUp)
            {
                Interlocked.Exchange(ref woken, Stopwatch.GetTimestamp());
            }
        };
        var sinceStart = Stopwatch.StartNew();
        await host.StartAsync();
        await idle.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var idleAfter = sinceStart.Elapsed;

        // The daemon warms up in the background after start; a mailbox rarely gets mail in that first second, so the
        // first message is measured after it (the time it took is printed).
        await host.Services.GetRequiredService<Inbox.StartupWarmup>().Completed.WaitAsync(TimeSpan.FromSeconds(30));
        var warmAfter = sinceStart.Elapsed;

        // The watching side polls Drafts with NOOP every 5 ms: an IDLE watcher would add Dovecot's own notify delay (about 0.5 s).
        using var watcher = await dovecot.ConnectAsync(user);

        // The sending side keeps its session too: its own login is not part of the path measured.
        using var sender = await dovecot.ConnectAsync(user);
        var inbox = await sender.GetFolderAsync("INBOX");
        var drafts = await watcher.GetFolderAsync("Drafts");
        await drafts.OpenAsync(FolderAccess.ReadOnly);

        // The measuring side's own first APPEND and NOOP (same process) are compiled before the clock runs: a real
        // sender is another program.
        await dovecot.CreateFolderAsync(user, "Scratch");
        await (await sender.GetFolderAsync("Scratch")).AppendAsync(Question(-1), MessageFlags.None, DateTimeOffset.UtcNow);
        await watcher.NoOpAsync();
        var times = new List<double>();
        var ours = new List<double>();
        for (int i = 0; i < Arrivals; i++)
        {
            int before = drafts.Count;
            long started = Stopwatch.GetTimestamp();
            var clock = Stopwatch.StartNew();
            await inbox.AppendAsync(Question(i), MessageFlags.None, DateTimeOffset.UtcNow);
            while (drafts.Count <= before)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new InvalidOperationException($"No draft in the Drafts folder 30 s after message {i} arrived.");
                }

                await Task.Delay(5);
                await watcher.NoOpAsync();
            }

            clock.Stop();
            times.Add(clock.Elapsed.TotalMilliseconds);
            long wake = Interlocked.Read(ref woken);
            ours.Add(clock.Elapsed.TotalMilliseconds - (wake > started ? Stopwatch.GetElapsedTime(started, wake).TotalMilliseconds : 0));
        }

        await host.StopAsync();
        await watcher.DisconnectAsync(true);
        await sender.DisconnectAsync(true);

        // The first message after start pays for warm-up (first LLM call, first APPEND): reported on its own.
        double first = times[0];
        var steady = times.Skip(1).Order().ToList();
        var oursSteady = ours.Skip(1).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"APPEND into INBOX -> draft in Drafts (instant LLM; the daemon on IDLE): first message {first:F0} ms; then median {steady[steady.Count / 2]:F0} ms, min {steady[0]:F0} ms, max {steady[^1]:F0} ms over {steady.Count} messages"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (IDLE {idleAfter.TotalMilliseconds:F0} ms after start, the background warm-up done {warmAfter.TotalMilliseconds:F0} ms after start)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of which the daemon's own part (woken -> draft in Drafts: fetch, pipeline, LLM, APPEND): first message {ours[0]:F0} ms; then median {oursSteady[oursSteady.Count / 2]:F0} ms, max {oursSteady[^1]:F0} ms; the rest is the APPEND itself and the server's IDLE notice"));
        Directory.Delete(vault, recursive: true);
    }

    private static async Task CatchUpMemoryAsync(DovecotServer dovecot, TextWriter output)
    {
        var user = dovecot.NewUser();
        await SeedAsync(dovecot, user);
        var options = dovecot.Options(user);
        string db = Path.Combine(Directory.CreateTempSubdirectory("replydrafter-bench-imapdb").FullName, "imap.db");
        var state = new ImapConnectionState(TimeProvider.System);
        var source = new ImapMailboxSource(new ImapConnector(Options.Create(options)), new ImapStateStore(db), state, TimeProvider.System, NullLogger<ImapMailboxSource>.Instance);

        GC.Collect();
        long start = GC.GetTotalMemory(forceFullCollection: true);
        long peak = start;
        var samples = new List<(int Count, long Bytes)>();
        int seen = 0;
        var clock = Stopwatch.StartNew();
        await source.CatchUpOnceAsync((batch, settled, ct) =>
        {
            foreach (var message in batch)
            {
                _ = MimeMessageConverter.Convert(message.Message, fromMbox: false, ct);
                seen++;
                long now = GC.GetTotalMemory(false);
                peak = Math.Max(peak, now);
                if (seen % 2_000 == 0)
                {
                    samples.Add((seen, GC.GetTotalMemory(forceFullCollection: true)));
                }

                settled(message);
            }

            return Task.CompletedTask;
        }, CancellationToken.None);
        clock.Stop();
        string points = string.Join(", ", samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Count:N0}: {Mb(s.Bytes)}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Catch-up over {seen:N0} messages in {clock.Elapsed.TotalSeconds:F1} s: managed heap at start {Mb(start)}, after a full GC at {points}; peak between GCs {Mb(peak)}"));
    }

    /// <summary>MULTIAPPEND in chunks: seeding is not what is measured.</summary>
    private static async Task SeedAsync(DovecotServer dovecot, DovecotUser user)
    {
        using var client = await dovecot.ConnectAsync(user);
        var inbox = await client.GetFolderAsync("INBOX");
        var arrived = DateTimeOffset.UtcNow.AddHours(-1);
        for (int start = 0; start < Mailbox; start += 500)
        {
            var chunk = Enumerable.Range(start, Math.Min(500, Mailbox - start))
                .Select(i => (IAppendRequest)new AppendRequest(Question(i), MessageFlags.None, arrived))
                .ToList();
            await inbox.AppendAsync(chunk);
        }

        await client.DisconnectAsync(true);
    }

    private static MimeMessage Question(int i)
    {
        var message = new MimeMessage
        {
            MessageId = string.Create(CultureInfo.InvariantCulture, $"bench-{i}-{Guid.NewGuid():N}@example.com"),
            Subject = string.Create(CultureInfo.InvariantCulture, $"Question {i}"),
            Date = DateTimeOffset.UtcNow,
            Body = new TextPart("plain") { Text = string.Create(CultureInfo.InvariantCulture, $"Hello Ada,\n\ncan you look at item {i} before Friday?\n\nThanks,\nAlice\n") },
        };
        message.From.Add(new MailboxAddress("Alice", "alice@example.com"));
        message.To.Add(new MailboxAddress("Ada Lovelace", "ada@example.com"));
        return message;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MB");
}
