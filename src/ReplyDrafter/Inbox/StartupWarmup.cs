using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Steps;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Inbox;

/// <summary>
/// The daemon's first message used to take seconds, most of it the first run of code every message needs (reading
/// mail, the reply-trimming patterns, the SDK's request and answer handling, the note's YAML). This runs that code once
/// on built-in input, in the background right after start: "Watching" is not delayed, and a message arriving meanwhile
/// is processed at once (it only shares the compiling). Nothing is written and no model is called.
/// </summary>
internal sealed partial class StartupWarmup(
    RunRequest request, Ledger.VaultLedger ledger, PromptLibrary prompts, AnswerValidator answers, IEnumerable<IThreadStep> steps, ILogger<StartupWarmup> logger) : BackgroundService
{
    private static readonly string[] s_tags = ["warm-up"];

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends when the warm-up has run (or was skipped: not the daemon, or stopped).</summary>
    public Task Completed => _done.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (request.Mode != RunMode.Daemon)
        {
            _done.TrySetResult();
            return Task.CompletedTask;
        }

        return Task.Run(() => WarmAsync(stoppingToken), CancellationToken.None);
    }

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            var mail = WarmupMail.Read(cancellationToken);
            // Read-only: the ledger's lookups and the grouping the first message's ingest makes; its source copy as text.
            _ = ThreadGrouper.Group([mail], ledger.ThreadOfMessage, s => ledger.ThreadOfSubject(s));
            _ = SourceCopy.Render(mail);
            _ = Frontmatter.Read(Frontmatter.Write([new("subject", mail.Subject), new("from", mail.From.Address), new("tags", s_tags), new("done", false)]) + mail.OwnText);
            foreach (var step in steps)
            {
                // The step's own template and schema: the first answer's check reuses the schema built here.
                var template = prompts.Get(step.Name);
                var settings = new LlmSettings("warm-up", template.Temperature, template.TopP, template.MaxOutputTokens, template.Seed, template.Name, template.OutputSchema);
                _ = answers.Check(await LlmWarmup.AnswerAsync(settings, cancellationToken), settings);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            LogWarm(logger, elapsed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Only speed is lost: the first message compiles what it needs itself.
            LogWarmFailed(logger, e);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Start-up warm-up done in {Elapsed}")]
    private static partial void LogWarm(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Start-up warm-up stopped early; the first message compiles what it needs")]
    private static partial void LogWarmFailed(ILogger logger, Exception exception);
}
