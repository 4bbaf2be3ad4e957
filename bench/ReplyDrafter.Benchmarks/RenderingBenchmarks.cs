using BenchmarkDotNet.Attributes;
using ReplyDrafter.Drafts;
using ReplyDrafter.Notes;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Benchmarks;

/// <summary>Markdown written for every thread: the note, the draft, and the frontmatter both start with.</summary>
[MemoryDiagnoser]
public class RenderingBenchmarks
{
    private NoteDocument _note = null!;
    private DraftDocument _draft = null!;
    private List<KeyValuePair<string, object?>> _fields = [];

    [GlobalSetup]
    public void Setup()
    {
        var content = new NoteContent(
            Title: "Statement of work – phase two",
            Kind: "projects",
            Project: "Archive Digitisation",
            Person: null,
            Summary: "Alice asks whether the 12 December delivery still holds and wants the archive migration in scope. Finance approved 85,000 EUR; anything above needs a change request signed by Marie.",
            Participants: ["Alice Moreau", "Bob Lindqvist", "Sam Taylor"],
            ActionItems:
            [
                new("Confirm the 12 December delivery date to Alice", "Sam Taylor", new DateOnly(2025, 12, 5), "high"),
                new("Send the OCR vendor contract to Legal", "Alice Moreau", null, "medium"),
                new("Book the large room for Tuesday's workshop", "Bob Lindqvist", new DateOnly(2025, 12, 2), "low"),
                new("Prepare a change request for the archive migration", "Sam Taylor", null, "none"),
            ],
            Decisions: ["The weekly status meeting stays.", "Bob coordinates while Sam travels."],
            KeyInformation: ["Budget: 85,000 EUR this quarter", "Staging from Wednesday, read-only production data", "Board meets on the 15th"],
            Related: ["Client Corp SA", "Marie Dupont", "Archive Digitisation"],
            Reply: new ReplyAssessment(true, "high", "Alice asks for a confirmation of the deadline before the board meeting."));
        _note = new NoteDocument(content, new DateOnly(2025, 12, 1), ["Alice Moreau", "Sam Taylor"], "email",
            "Sources/Email/2025-12-01_statement-of-work.eml", "Outbox/_prompts/2025-12-01_Statement-of-work.prompt.json", "Sam Taylor");

        _draft = new DraftDocument(
            Created: new DateTimeOffset(2025, 12, 1, 14, 30, 0, TimeSpan.FromHours(1)),
            Urgency: "high",
            To: "Alice Moreau <alice.moreau@client.example>",
            Cc: ["Bob Lindqvist <bob.lindqvist@example.com>"],
            Subject: "RE: Statement of work – phase two",
            InReplyTo: "sow-7@mail.example",
            SourceFile: "Sources/Email/2025-12-01_statement-of-work.eml",
            ThreadNote: "Notes/2025-12-01_Statement-of-work.md",
            AiModel: "gpt-4o-mini",
            AiTemperature: 0.3,
            PromptFile: "Outbox/_prompts/2025-12-01_Reply-To_Statement-of-work.prompt.json",
            RecipientName: "Alice Moreau",
            Regarding: "Statement of work – phase two",
            Content: new DraftContent(
                ["Confirm the 12 December date", "Archive migration: in scope, needs a change request", "Vendor contract for Legal"],
                "Hi Alice,\n\nThanks for the revised statement of work. The 12 December delivery still holds [confirm date].\n\nWe agree the archive migration belongs in scope; I will prepare the change request for Marie this week.\n\nBest regards,\nSam"),
            Signature: "Sam Taylor\nDelivery Lead | Example Consulting Ltd\n+44 20 7946 0000",
            OriginalSummary: content.Summary);

        _fields =
        [
            new("type", "projects"),
            new("title", "Statement of work – phase two: \"archive\" #migration 📅"),
            new("date", "2025-12-01"),
            new("project", "Archive Digitisation"),
            new("participants", new List<string> { "Alice Moreau", "Bob Lindqvist", "Sam Taylor" }),
            new("tags", new List<string> { "email", "client-corp" }),
            new("source", "email"),
            new("source_ref", "Sources/Email/2025-12-01_statement-of-work.eml"),
            new("reply_needed", true),
            new("urgency", "high"),
            new("ai_temperature", 0.3),
            new("prompt_file", "Outbox/_prompts/2025-12-01_Statement-of-work.prompt.json"),
        ];
    }

    [Benchmark]
    public string Note() => NoteRenderer.Render(_note);

    [Benchmark]
    public string Draft() => DraftRenderer.Render(_draft);

    [Benchmark]
    public string FrontmatterWrite() => Frontmatter.Write(_fields);
}
