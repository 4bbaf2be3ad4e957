using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;
using ReplyDrafter.Llm;
using ReplyDrafter.Mail;
using ReplyDrafter.Drafts;
using ReplyDrafter.Steps;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// What one thread costs in model input: typical reply chains (quoted history, signatures, disclaimers) go through
/// the real pipeline (MIME conversion with quote stripping, <see cref="ThreadText.Format"/>, the shipped prompts and
/// <see cref="PromptTemplate.Prepare"/>), and the text of each request is measured. The same requests built from the
/// unstripped bodies show what stripping saves.
/// </summary>
/// <remarks>
/// Tokens are counted with the o200k_base encoding (GPT-4o family, Microsoft.ML.Tokenizers) over the message texts
/// plus the JSON schema sent as the response format; the few tokens of chat framing per message are not counted.
/// The chars/4 column is OpenAI's rule of thumb for English text, for models with another tokenizer.
/// </remarks>
internal static class CostReport
{
    private static readonly int[] ThreadSizes = [1, 3, 8, 20];

    private static readonly MeOptions Me = new()
    {
        Name = "Sam Taylor",
        Email = "sam.taylor@example.com",
        Style = "Short, friendly and direct; British English; no filler.",
        Signature = "Sam Taylor\nDelivery Lead | Example Consulting Ltd",
    };

    public static void Print(TextWriter output)
    {
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");
        var prompts = new PromptLibrary(Options.Create(new ReplyDrafterOptions()));
        var llm = new LlmOptions();
        var rows = ThreadSizes.Select(size => Measure(size, prompts, llm, tokenizer)).ToList();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LLM input per thread: shipped prompts/, MaxInputChars {llm.MaxInputChars:N0}; tokens counted with o200k_base (GPT-4o family), (~) = chars/4 estimate"));
        output.WriteLine();
        output.WriteLine("| Messages | Thread as received (chars) | Thread the model sees (chars) | Stripping saves | Note call: chars / tokens (~) | Draft call: chars / tokens (~) | Calls | Tokens per thread | Unstripped | Saved |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Messages} | {row.RawThreadChars:N0} | {row.SentThreadChars:N0} | {Saving(row.RawThreadChars, row.SentThreadChars)} " +
                $"| {row.Note.Chars:N0} / {row.Note.Tokens:N0} (~{row.Note.Chars / 4:N0}) " +
                $"| {(row.Draft is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d.Chars:N0} / {d.Tokens:N0} (~{d.Chars / 4:N0})") : "-")} " +
                $"| {row.Calls} | {row.Tokens:N0} | {row.UnstrippedTokens:N0} | {Saving(row.UnstrippedTokens, row.Tokens)} |"));
        }

        output.WriteLine();
        var first = rows[0];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fixed overhead (instructions, headers, schema: everything but the thread text): note call {first.Note.Chars - first.SentThreadChars:N0} chars, draft call {(first.Draft?.Chars ?? 0) - first.SentThreadChars:N0} chars."));
        output.WriteLine();
        output.WriteLine("Draft call input: the note's summary plus the messages the reply must answer (DraftInput), not the whole thread again:");
        output.WriteLine();
        output.WriteLine("| Messages | Draft call, whole thread (chars) | Draft call now (chars) | Saved | Thread text sent in both calls ÷ naive concatenation (both calls) | Both whole requests ÷ the raw thread once |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows.Where(r => r.Draft is not null))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Messages} | {row.DraftWholeThreadChars:N0} | {row.Draft!.Chars:N0} | {Saving(row.DraftWholeThreadChars, row.Draft.Chars)} | {row.SentShare:0.000} (was {row.SentShareWholeThread:0.000}) | {(double)(row.Note.Chars + row.Draft.Chars) / row.RawThreadChars:0.000} (was {(double)(row.Note.Chars + row.DraftWholeThreadChars) / row.RawThreadChars:0.000}) |"));
        }

        output.WriteLine();
        output.WriteLine("Naive concatenation: every message's full text as received (quoted history, signatures) in each of the two calls;");
        output.WriteLine("sent: the thread text the note call sees plus the draft call's message(s) to answer. Target for 20 messages: ≤ 0.15.");
        output.WriteLine();
        output.WriteLine("Calls per thread: 1 note + at most 1 draft (none when the last message is the user's own, automated,");
        output.WriteLine("not addressed to the user, or the model judges no reply is needed); every thread above ends with a");
        output.WriteLine("question to the user, so it takes both. Each call's chars include its JSON schema (sent as response format).");
        output.WriteLine("\"Unstripped\": the same two requests built from the full bodies (quoted history and signatures kept).");
    }

    private static ThreadCost Measure(int size, PromptLibrary prompts, LlmOptions llm, Tokenizer tokenizer)
    {
        var messages = SampleMail.Thread(size).Select(mime =>
        {
            using (mime)
            {
                return MimeMessageConverter.Convert(mime, fromMbox: false, CancellationToken.None);
            }
        }).ToList();
        var unstripped = messages.Select(m => m with { OwnText = m.Body }).ToList();

        var note = Request(Notes.NoteStep.StepName, messages, prompts, llm);
        var draft = Addressing.WhyNoDraft(messages[^1], Me) is null ? Request(Drafts.DraftStep.StepName, messages, prompts, llm) : null;
        var wholeThreadDraft = draft is null ? null : Request(Drafts.DraftStep.StepName, messages, prompts, llm, wholeThread: true);
        var noteCost = CallCost.Of(note, tokenizer);
        var draftCost = draft is null ? null : CallCost.Of(draft, tokenizer);
        var unstrippedTokens = CallCost.Of(Request(Notes.NoteStep.StepName, unstripped, prompts, llm), tokenizer).Tokens
            + (draft is null ? 0 : CallCost.Of(Request(Drafts.DraftStep.StepName, unstripped, prompts, llm), tokenizer).Tokens);

        int raw = ThreadText.Format(unstripped, int.MaxValue).Length;
        int noteThread = ThreadText.Format(messages, llm.MaxInputChars).Length;
        int draftThread = draft is null ? 0 : DraftInput.Format(messages, Me, llm.MaxInputChars).Length;
        return new ThreadCost(
            size,
            raw,
            noteThread,
            noteCost,
            draftCost,
            draft is null ? 1 : 2,
            noteCost.Tokens + (draftCost?.Tokens ?? 0),
            unstrippedTokens,
            wholeThreadDraft is null ? 0 : CallCost.Of(wholeThreadDraft, tokenizer).Chars,
            (double)(noteThread + draftThread) / (2.0 * raw),
            (double)(noteThread + (draft is null ? 0 : noteThread)) / (2.0 * raw));
    }

    /// <summary>The request the thread pipeline builds for a step, with the same variables.</summary>
    /// <param name="wholeThread">The draft call as it was before <see cref="DraftInput"/>: the whole thread again.</param>
    private static LlmRequest Request(string step, List<EmailMessage> messages, PromptLibrary prompts, LlmOptions llm, bool wholeThread = false)
    {
        var subject = SubjectNormalizer.Normalize(messages[0].Subject);
        var thread = ThreadText.Format(messages, llm.MaxInputChars);
        var variables = step == Notes.NoteStep.StepName
            ? new Dictionary<string, string>
            {
                ["me_name"] = Me.Name,
                ["me_email"] = Me.Email,
                ["today"] = "2025-12-03",
                ["subject"] = subject,
                ["participants"] = string.Join(", ", Addressing.Participants(messages)),
                ["known_people"] = "Alice Moreau, Bob Lindqvist, Marie Dupont",
                ["source_kind"] = "email",
                ["thread"] = thread,
            }
            : new Dictionary<string, string>
            {
                ["me_name"] = Me.Name,
                ["me_style"] = Me.Style,
                ["today"] = "2025-12-03",
                ["subject"] = subject,
                ["recipient_name"] = Addressing.ReplyAll(messages[^1], Me).To.NameOrAddress,
                ["note_summary"] = "Alice asks whether the 12 December delivery still holds and wants the archive migration in scope. Finance approved 85,000 EUR; anything above needs a change request.",
                ["urgency"] = "high",
                ["urgency_reason"] = "Alice needs a confirmed date before the board meets on the 15th.",
                ["thread"] = wholeThread ? thread : DraftInput.Format(messages, Me, llm.MaxInputChars),
            };
        return prompts.Get(step).Prepare(step, prompts.DisplayPath(step), variables, llm, messages.Select(m => m.MessageId).ToList());
    }

    private static string Saving(long before, long after) =>
        before == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * (before - after) / before:0}%");

    private sealed record ThreadCost(
        int Messages,
        int RawThreadChars,
        int SentThreadChars,
        CallCost Note,
        CallCost? Draft,
        int Calls,
        int Tokens,
        int UnstrippedTokens,
        int DraftWholeThreadChars,
        double SentShare,
        double SentShareWholeThread);

    private sealed record CallCost(int Chars, int Tokens)
    {
        public static CallCost Of(LlmRequest request, Tokenizer tokenizer)
        {
            var texts = request.Messages.Select(m => m.Text).Append(request.Settings.OutputSchema.GetRawText()).ToList();
            return new CallCost(texts.Sum(t => t.Length), texts.Sum(t => tokenizer.CountTokens(t)));
        }
    }
}
