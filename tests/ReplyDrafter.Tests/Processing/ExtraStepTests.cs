using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Steps;
using ReplyDrafter.Tests.Cli;
using ReplyDrafter.Tests.EndToEnd;
using ReplyDrafter.Tests.TestData;
using ReplyDrafter.Tests.TestServer;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Processing;

/// <summary>
/// A step added the way the README says (one class, one template, one <c>AddThreadStep</c> line) runs in the pipeline
/// after the registered ones and replays like the shipped steps.
/// </summary>
public sealed class ExtraStepTests
{
    private const string Template = """
        ---
        name: thread-tags
        description: Tags for a thread (a test-only step).
        inputs:
          subject:
            description: The thread's subject.
            untrusted: true
          summary:
            description: The note's summary.
            untrusted: true
        schema:
          type: object
          additionalProperties: false
          required: [tags]
          properties:
            tags:
              type: array
              items:
                type: string
        ---
        system:
        Answer with one JSON object that matches the given schema.

        user:
        Subject: {{subject}}
        Summary: {{summary}}
        """;

    [Fact]
    public async Task RunOnceThenReplay_ExtraStepRegistered_RunsAfterTheShippedStepsAndReplays()
    {
        await using var harness = await DaemonHarness.StartAsync();
        using var prompts = new TempFolder();
        foreach (var shipped in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "prompts"), "*.prompty"))
        {
            File.Copy(shipped, prompts.Combine(Path.GetFileName(shipped)));
        }

        prompts.Write("thread-tags.prompty", Template);
        harness.Settings.Add("--ReplyDrafter:Prompts=" + prompts.Path);
        var shippedAnswers = harness.Server.Responder;
        var tags = "budget";
        harness.Server.Responder = request => request.SchemaName == TagsStep.StepName
            ? FakeLlmReply.Json(new JsonObject { ["tags"] = new JsonArray(tags) }.ToJsonString())
            : shippedAnswers(request);
        harness.Drop(MimeMessageBuilder.ToMe("alice@example.com", "Budget for Q3"), "tags-budget.eml");

        var (code, _, error) = await InvokeAsync(harness.Arguments("run", "--once"));

        Assert.True(code == 0, error);
        Assert.Equal(["thread-note", "draft-reply", TagsStep.StepName], harness.Server.ChatRequests.Select(r => r.SchemaName));
        var tagsFile = Assert.Single(harness.Notes(), f => f.EndsWith("_tags.md", StringComparison.Ordinal));
        Assert.Contains("- budget", File.ReadAllText(harness.Vault.Path(tagsFile)), StringComparison.Ordinal);
        Assert.Contains("(note summary: ", File.ReadAllText(harness.Vault.Path(tagsFile)), StringComparison.Ordinal);

        tags = "friday";
        var record = "Outbox/_prompts/" + Path.GetFileNameWithoutExtension(tagsFile) + ".prompt.json";
        (code, var output, error) = await InvokeAsync(harness.Arguments("replay", record));

        Assert.True(code == 0, error);
        Assert.Contains("Replayed " + TagsStep.StepName, output, StringComparison.Ordinal);
        var replayed = Assert.Single(harness.Notes(), f => f.Contains("_tags.replay-", StringComparison.Ordinal));
        Assert.Contains("- friday", File.ReadAllText(harness.Vault.Path(replayed)), StringComparison.Ordinal);
        Assert.Contains("- budget", File.ReadAllText(harness.Vault.Path(tagsFile)), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ReplyDrafterCommandLine.InvokeAsync(
            args,
            static settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                builder.Services.AddSingleton<TimeProvider>(NoonClock.Shared);
                builder.AddReplyDrafter();
                builder.Services.AddThreadStep<TagsStep>();
                return builder;
            },
            CliConsole.Writers(TextWriter.Synchronized(output), TextWriter.Synchronized(error)));
        return (code, output.ToString(), error.ToString());
    }
}

/// <summary>What the test step renders: the thread's tags, and the note summary it read from the step before it.</summary>
internal sealed record TagsDocument(string Subject, string NoteSummary, IReadOnlyList<string> Tags);

/// <summary>A test-only step: tags a thread from its subject and the note's summary, written beside the note.</summary>
internal sealed class TagsStep(StepCaller caller, StepWriter writer, VaultLayout layout) : ThreadStep<IReadOnlyList<string>, TagsDocument>(caller)
{
    public const string StepName = "thread-tags";

    public override string Name => StepName;

    public override string Folder(VaultLayout layout) => layout.Notes;

    public override IReadOnlyList<string> ReadAnswer(JsonElement answer) =>
        answer.GetProperty("tags").EnumerateArray().Select(t => t.GetString() ?? "").ToList();

    public override string Render(TagsDocument document) =>
        $"# {document.Subject}\n(note summary: {document.NoteSummary})\n" + string.Concat(document.Tags.Select(t => $"- {t}\n"));

    public override async Task RunAsync(ThreadRun thread, CancellationToken cancellationToken)
    {
        if (thread.Transcript is not null)
        {
            return;
        }

        var summary = thread.Get<ReplyDrafter.Notes.NoteContent>().Summary;
        var answer = await AskAsync(thread.MessageIds, _ => new Dictionary<string, string> { ["subject"] = thread.Subject, ["summary"] = summary }, cancellationToken);
        var stem = thread.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "_" + Slug.Make(thread.Subject, 40) + "_tags";
        var path = writer.Claim("tags:" + thread.ThreadId, "tags", layout.Notes, stem, ".md");
        writer.Write(path, File(new TagsDocument(thread.Subject, summary, answer.Value)), answer.Request, answer.Response, Provider);
    }

    protected override TagsDocument WithAnswer(TagsDocument recorded, IReadOnlyList<string> answer, ReplayContext context) => recorded with { Tags = answer };
}
