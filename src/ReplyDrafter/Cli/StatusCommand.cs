using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;
using ReplyDrafter.Vault;
using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary><c>replydrafter status [--json]</c>: a table on a terminal, plain text otherwise, JSON for scripts.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, bool json, CancellationToken cancellationToken)
    {
        using var host = CliHost.Build(createBuilder, common);
        CliHost.Validate(host);
        var layout = host.Services.GetRequiredService<VaultLayout>();
        var llm = host.Services.GetRequiredService<ILlmClient>();
        var options = host.Services.GetRequiredService<IOptions<LlmOptions>>().Value;
        var time = host.Services.GetRequiredService<TimeProvider>();

        var problem = await llm.ProbeAsync(cancellationToken);
        // The endpoint may carry credentials (user:key@, ?key=): shown redacted everywhere, the problem text too.
        problem = problem is null ? null : Security.Redaction.InMessage(problem, options.Endpoint);
        var learning = host.Services.GetRequiredService<IOptions<Learning.LearningOptions>>().Value;
        var report = StatusReport.Gather(layout, DateOnly.FromDateTime(time.GetLocalNow().DateTime), time.LocalTimeZone, options, problem, learning, time.GetUtcNow()) with
        {
            Imap = Status.ImapStatus.Gather(layout, host.Services.GetRequiredService<IOptions<Imap.ImapOptions>>().Value),
            SettingsFiles = host.Services.GetService<Hosting.SettingsFiles>()?.Read.Select(f => $"{f.Role}: {f.Path}").ToList() ?? [],
        };

        if (json)
        {
            common.Console.Out.WriteLine(report.ToJson());
        }
        else if (!common.Console.IsOutputRedirected)
        {
            WriteTable(report, common.Console.Ansi());
        }
        else
        {
            common.Console.Out.Write(report.ToText());
        }

        return 0;
    }

    private static void WriteTable(StatusReport report, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.HideHeaders();
        table.AddRow("Vault", Markup.Escape(report.Vault));
        table.AddRow("Ledger", Markup.Escape(report.Ledger));
        table.AddRow("LLM", report.LlmReachable
            ? $"[green]answers[/] {Markup.Escape(report.LlmModel)} at {Markup.Escape(report.LlmEndpoint)}"
            : $"[red]not usable[/] {Markup.Escape(report.LlmProblem ?? "")}");
        table.AddRow("LLM use", Markup.Escape(report.LlmUsage.Describe()));
        table.AddRow("IMAP", Markup.Escape(report.Imap.Describe()));
        table.AddRow("Waiting", Lines(report.Waiting.Count, report.Waiting.Select(w => w.Display)));
        table.AddRow("Processed", $"{report.ProcessedToday} today, {report.ProcessedTotal} in total ({report.Threads} threads and transcripts)");
        table.AddRow("Failed", Lines(report.Failed.Count, report.Failed.Select(f => $"{Security.ControlText.FileNameForConsole(f.Name)}: {Security.ControlText.Escape(f.Reason)}"), "red"));
        table.AddRow("Drafts pending", Lines(report.PendingDrafts.Count, report.PendingDrafts));
        table.AddRow("Outcomes (30 days)", Markup.Escape(string.Join('\n', report.Outcomes is null ? ["none yet"] : Status.LearningStatus.Lines(report.Outcomes))));
        table.AddRow("Settings", Lines(report.SettingsFiles.Count, report.SettingsFiles));
        console.Write(table);
    }

    private static string Lines(int count, IEnumerable<string> lines, string? colour = null)
    {
        var head = colour is null || count == 0 ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{colour}]{count}[/]";
        return string.Join('\n', lines.Take(20).Select(Markup.Escape).Prepend(head));
    }
}
