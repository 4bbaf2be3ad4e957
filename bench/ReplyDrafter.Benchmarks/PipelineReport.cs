using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using MimeKit;
using ReplyDrafter.Cli;
using ReplyDrafter.Telemetry;
using ReplyDrafter.Tests.TestServer;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// The pipeline's own time per email: 500 emails (each its own thread, addressed to the user, so each gets a note and
/// a draft) go through the real program's <c>run --once</c> in process, against the tests' fake LLM server answering at
/// once on loopback. The spans the program emits split the time: threads (note and draft, LLM calls included), the
/// LLM calls themselves (HTTP to the fake server), and the rest (reading, hashing, ingest, archiving).
/// </summary>
internal static class PipelineReport
{
    private const int Emails = 500;

    public static async Task RunAsync(TextWriter output)
    {
        await using var server = await FakeLlmServer.StartAsync();
        var root = Directory.CreateTempSubdirectory("replydrafter-bench-");
        try
        {
            var inbox = Directory.CreateDirectory(Path.Combine(root.FullName, "Inbox"));
            for (int i = 0; i < Emails; i++)
            {
                File.WriteAllBytes(Path.Combine(inbox.FullName, $"mail-{i:D4}.eml"), SampleMail.ToBytes(Email(i)));
            }

            var spans = new ConcurrentBag<(string Name, TimeSpan Duration)>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name is ReplyDrafterTelemetry.SourceName or ReplyDrafterTelemetry.LlmSourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = a => spans.Add((a.OperationName.StartsWith("chat", StringComparison.Ordinal) ? "chat" : a.OperationName, a.Duration)),
            };
            ActivitySource.AddActivityListener(listener);

            using var log = new StringWriter();
            using var process = Process.GetCurrentProcess();
            var (user, kernel) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
            var (gcPause, gcCount, allocated) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
            var clock = Stopwatch.StartNew();
            int code = await ReplyDrafterCommandLine.InvokeAsync(
                ["run", "--once", "--vault", root.FullName, .. Settings(server)],
                static settings =>
                {
                    var builder = Host.CreateApplicationBuilder(settings);
                    builder.AddReplyDrafter();
                    builder.AddReplyDrafterTelemetry();
                    return builder;
                },
                CliConsole.Writers(TextWriter.Synchronized(log), TextWriter.Synchronized(log)));
            clock.Stop();
            process.Refresh();
            (user, kernel) = (process.UserProcessorTime - user, process.PrivilegedProcessorTime - kernel);
            (gcPause, gcCount, allocated) = (GC.GetTotalPauseDuration() - gcPause, GC.CollectionCount(0) - gcCount, GC.GetTotalAllocatedBytes() - allocated);
            double fileMicroseconds = SmallFileCost(root.FullName);

            int archived = Directory.Exists(Path.Combine(inbox.FullName, "_archive")) ? Directory.EnumerateFiles(Path.Combine(inbox.FullName, "_archive"), "*", SearchOption.AllDirectories).Count() : 0;
            double Sum(string name) => spans.Where(s => s.Name == name).Sum(s => s.Duration.TotalMilliseconds);
            double total = clock.Elapsed.TotalMilliseconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Pipeline: {Emails} emails, run --once in process, instant fake LLM on loopback (exit {code}, {archived} archived, {server.ChatRequestCount} LLM calls)"));
            output.WriteLine();
            output.WriteLine("| figure | value |");
            output.WriteLine("| --- | ---: |");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| wall time, start to exit | {total / 1000:0.00} s |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **ms per email** | **{total / Emails:0.0}** |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| thread spans, summed (note + draft + files + ledger) | {Sum("replydrafter.thread") / Emails:0.0} ms/email |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| LLM calls, summed (HTTP to the fake server) | {Sum("chat") / Emails:0.0} ms/email |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| process CPU, user + kernel (the fake server's included) | {user.TotalMilliseconds / Emails:0.0} + {kernel.TotalMilliseconds / Emails:0.0} ms/email |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| allocated; garbage collections, their pauses | {allocated / 1024.0 / Emails:0} KB/email; {gcCount}, {gcPause.TotalMilliseconds:0} ms |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| this disk, after the run: create, write 2 KB, fsync and rename one new file (an email makes five) | {fileMicroseconds:0} µs |"));
            if (code != 0)
            {
                output.WriteLine(log.ToString());
            }

            await WholeProcessAsync(server, output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What a user's <c>run --once</c> costs, not only the pipeline: the same emails through the built program as its own
    /// process (runtime start, JIT, settings, ledger, exit), and the same process on an empty inbox for the fixed part.
    /// </summary>
    private static async Task WholeProcessAsync(FakeLlmServer server, TextWriter output)
    {
        if (Program() is not { } program)
        {
            output.WriteLine("| whole process | skipped: build src/ReplyDrafter in this configuration first |");
            return;
        }

        var empty = await TimeProcessAsync(program, server, emails: 0);
        var full = await TimeProcessAsync(program, server, Emails);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole `run --once` process, {Emails} emails (start, JIT, work, exit) | {full.TotalSeconds:0.00} s, **{full.TotalMilliseconds / Emails:0.0} ms per email** |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| the same process on an empty inbox (the fixed part) | {empty.TotalSeconds:0.00} s |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| whole process, per email beyond the fixed part | {(full - empty).TotalMilliseconds / Emails:0.0} ms |"));
    }

    private static async Task<TimeSpan> TimeProcessAsync(string program, FakeLlmServer server, int emails)
    {
        var root = Directory.CreateTempSubdirectory("replydrafter-bench-");
        try
        {
            var inbox = Directory.CreateDirectory(Path.Combine(root.FullName, "Inbox"));
            for (int i = 0; i < emails; i++)
            {
                File.WriteAllBytes(Path.Combine(inbox.FullName, $"mail-{i:D4}.eml"), SampleMail.ToBytes(Email(10_000 + i)));
            }

            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])[program, "run", "--once", "--vault", root.FullName, .. Settings(server)])
            {
                start.ArgumentList.Add(argument);
            }

            // No per-user settings file of whoever runs the bench.
            start.Environment["HOME"] = root.FullName;
            start.Environment["XDG_CONFIG_HOME"] = Path.Combine(root.FullName, ".config");
            var clock = Stopwatch.StartNew();
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            clock.Stop();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"run --once exited {process.ExitCode}: {await stderr}{await stdout}");
            }

            return clock.Elapsed;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static string[] Settings(FakeLlmServer server) =>
    [
        "--ReplyDrafter:Llm:Provider=OpenAI",
        "--ReplyDrafter:Llm:Endpoint=" + server.OpenAIEndpoint,
        "--ReplyDrafter:Llm:Deployment=" + FakeLlmServer.Model,
        "--ReplyDrafter:Llm:ApiKey=" + FakeLlmServer.ApiKey,
        "--ReplyDrafter:Me:Name=" + SampleMail.Me.Name,
        "--ReplyDrafter:Me:Email=" + SampleMail.Me.Address,
        "--ReplyDrafter:Inbox:StableFor=00:00:00",
        "--Serilog:MinimumLevel:Default=Warning",
    ];

    /// <summary>The built program of this configuration (its own output folder holds the complete runtimeconfig).</summary>
    private static string? Program()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "ReplyDrafter", "bin", configuration, "net10.0", "replydrafter.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// What the file system charges for the five new files an email makes, measured beside the vault just after the
    /// run. Some disks make this dear: ext4 without a journal scans past every recently deleted inode when it creates a
    /// file, so on a machine that just deleted many files (test runs, an earlier benchmark's clean-up) it rose from
    /// about 25 µs to 600–800 µs here, and the run with it. Set TMPDIR to put the vault on another disk.
    /// </summary>
    private static double SmallFileCost(string vault)
    {
        const int Files = 200;
        var folder = Directory.CreateDirectory(Path.Combine(vault, "_calibration"));
        var content = new byte[2048];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Files; i++)
        {
            string temp = Path.Combine(folder.FullName, $".file-{i}.tmp");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path.Combine(folder.FullName, $"file-{i}.md"));
        }

        return clock.Elapsed.TotalMicroseconds / Files;
    }

    private static MimeMessage Email(int i)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress($"Sender {i}", $"sender{i}@client.example"));
        message.To.Add(SampleMail.Me);
        message.Subject = $"Question {i} about the statement of work";
        message.MessageId = $"bench-{i}@client.example";
        message.Date = new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(i);
        message.Body = new TextPart("plain")
        {
            Text = $"Hi Sam,\n\ncould you confirm the milestone dates for item {i} and send the revised budget by Friday?\n\nThanks,\nSender {i}\n",
        };
        return message;
    }
}
