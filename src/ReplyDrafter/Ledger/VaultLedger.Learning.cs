using System.Globalization;

namespace ReplyDrafter.Ledger;

/// <summary>A draft and what became of it (schema version 2).</summary>
/// <param name="AnsweredId">The Message-ID the draft answered.</param>
/// <param name="DraftText">The draft's response text without the signature, as compared with what the user sent.</param>
/// <param name="Outcome">"pending", "sent", "edited", "rewritten" or "ignored".</param>
internal sealed record DraftOutcomeRecord(
    string DraftPath,
    string ThreadId,
    string AnsweredId,
    string Model,
    string TemplateSha256,
    DateTimeOffset CreatedAt,
    string DraftText,
    string Outcome,
    double? Similarity,
    DateTimeOffset? SentAt,
    string? SentMessageId);

/// <summary>A message the user sent, as the pipeline saw it (schema version 2): a style example, and maybe an outcome.</summary>
/// <param name="Recipients">Its To and Cc addresses.</param>
/// <param name="Outcome">What it counted as: the outcome of the draft it answered, "missed", or null (history seen with its thread, not counted).</param>
/// <param name="SeenAt">When the pipeline took it in (the 30-day figures count by this, not by the mail's own date).</param>
internal sealed record UserReplyRecord(
    string MessageId, string ThreadId, DateTimeOffset SentAt, IReadOnlyList<string> Recipients, string OwnText, string? Outcome, string? DraftPath, DateTimeOffset SeenAt);

internal sealed partial class VaultLedger
{
    /// <summary>Schema version 4: the messages proven to be the user's own, with what proved it.</summary>
    private const string OwnMessagesSchema = """
        CREATE TABLE IF NOT EXISTS own_messages (
            message_id TEXT PRIMARY KEY,
            proof      TEXT NOT NULL,
            added_at   TEXT NOT NULL);
        """;

    /// <summary>Records that <paramref name="messageId"/> is proven the user's own; true when it was not before.</summary>
    public bool MarkOwn(string messageId, string proof, DateTimeOffset now)
    {
        if (Scalar("SELECT proof FROM own_messages WHERE message_id = $m", ("$m", messageId)) is not null)
        {
            return false;
        }

        Write("INSERT OR IGNORE INTO own_messages(message_id, proof, added_at) VALUES ($m, $p, $t)", ("$m", messageId), ("$p", proof), ("$t", Iso(now)));
        return true;
    }

    /// <summary>The Message-IDs of the thread proven to be the user's own.</summary>
    public IReadOnlySet<string> OwnMessagesOfThread(string threadId) =>
        Query("SELECT o.message_id FROM own_messages o JOIN messages m ON m.message_id = o.message_id WHERE m.thread_id = $t", r => r.GetString(0), ("$t", threadId))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Schema version 2: drafts with their outcome, and the user's own messages.</summary>
    private const string LearningSchema = """
        CREATE TABLE IF NOT EXISTS draft_outcomes (
            draft_path      TEXT PRIMARY KEY,
            thread_id       TEXT NOT NULL,
            answered_id     TEXT NOT NULL,
            model           TEXT NOT NULL,
            template_sha256 TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            draft_text      TEXT NOT NULL,
            outcome         TEXT NOT NULL,
            similarity      REAL,
            sent_at         TEXT,
            sent_id         TEXT);
        CREATE INDEX IF NOT EXISTS draft_outcomes_thread ON draft_outcomes(thread_id);
        CREATE TABLE IF NOT EXISTS user_replies (
            message_id TEXT PRIMARY KEY,
            thread_id  TEXT NOT NULL,
            sent_at    TEXT NOT NULL,
            recipients TEXT NOT NULL,
            own_text   TEXT NOT NULL,
            outcome    TEXT,
            draft_path TEXT,
            seen_at    TEXT NOT NULL);
        """;

    private const string OutcomeColumns =
        "draft_path, thread_id, answered_id, model, template_sha256, created_at, draft_text, outcome, similarity, sent_at, sent_id";

    /// <summary>A draft just written: pending until the user's reply (or its absence) says otherwise.</summary>
    public void SaveDraft(DraftOutcomeRecord draft) =>
        Write($"""
            INSERT INTO draft_outcomes({OutcomeColumns}) VALUES ($p, $t, $a, $m, $s, $c, $x, $o, $y, $at, $id)
            ON CONFLICT(draft_path) DO UPDATE SET thread_id = $t, answered_id = $a, model = $m, template_sha256 = $s, created_at = $c,
                draft_text = $x, outcome = $o, similarity = $y, sent_at = $at, sent_id = $id
            """,
            ("$p", draft.DraftPath), ("$t", draft.ThreadId), ("$a", draft.AnsweredId), ("$m", draft.Model), ("$s", draft.TemplateSha256),
            ("$c", Iso(draft.CreatedAt)), ("$x", draft.DraftText), ("$o", draft.Outcome), ("$y", draft.Similarity),
            ("$at", draft.SentAt is { } at ? Iso(at) : null), ("$id", draft.SentMessageId));

    public void SetDraftOutcome(string draftPath, string outcome, double? similarity, DateTimeOffset? sentAt, string? sentMessageId) =>
        Write(
            "UPDATE draft_outcomes SET outcome = $o, similarity = $y, sent_at = $at, sent_id = $id WHERE draft_path = $p",
            ("$p", draftPath), ("$o", outcome), ("$y", similarity), ("$at", sentAt is { } at ? Iso(at) : null), ("$id", sentMessageId));

    /// <summary>A superseded draft that was deleted unread: it was never the thread's final draft, so it counts as nothing.</summary>
    public void ForgetDraft(string draftPath) => Write("DELETE FROM draft_outcomes WHERE draft_path = $p", ("$p", draftPath));

    public DraftOutcomeRecord? FindDraft(string draftPath) =>
        Query($"SELECT {OutcomeColumns} FROM draft_outcomes WHERE draft_path = $p", ReadDraft, ("$p", draftPath)).FirstOrDefault();

    /// <summary>The thread's drafts, newest first.</summary>
    public IReadOnlyList<DraftOutcomeRecord> DraftsOfThread(string threadId) =>
        Query($"SELECT {OutcomeColumns} FROM draft_outcomes WHERE thread_id = $t ORDER BY created_at DESC, draft_path DESC", ReadDraft, ("$t", threadId));

    /// <summary>Drafts created at or after <paramref name="since"/> (every draft when null).</summary>
    public IReadOnlyList<DraftOutcomeRecord> Drafts(DateTimeOffset? since = null, string? outcome = null) =>
        Query(
            $"SELECT {OutcomeColumns} FROM draft_outcomes WHERE ($since IS NULL OR created_at >= $since) AND ($o IS NULL OR outcome = $o) ORDER BY created_at, draft_path",
            ReadDraft, ("$since", since is { } s ? Iso(s) : null), ("$o", outcome));

    public bool HasUserReply(string messageId) =>
        Scalar("SELECT 1 FROM user_replies WHERE message_id = $m", ("$m", messageId)) is not null;

    public void AddUserReply(UserReplyRecord reply) =>
        Write("""
            INSERT OR IGNORE INTO user_replies(message_id, thread_id, sent_at, recipients, own_text, outcome, draft_path, seen_at)
            VALUES ($m, $t, $s, $r, $x, $o, $d, $seen)
            """,
            ("$m", reply.MessageId), ("$t", reply.ThreadId), ("$s", Iso(reply.SentAt)), ("$r", string.Join('\n', reply.Recipients)),
            ("$x", reply.OwnText), ("$o", reply.Outcome), ("$d", reply.DraftPath), ("$seen", Iso(reply.SeenAt)));

    /// <summary>The messages the user sent that the pipeline has seen, newest first (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<UserReplyRecord> UserReplies(string? outcome = null, int limit = int.MaxValue) =>
        Query(
            """
            SELECT message_id, thread_id, sent_at, recipients, own_text, outcome, draft_path, seen_at FROM user_replies
            WHERE $o IS NULL OR outcome = $o ORDER BY sent_at DESC, message_id LIMIT $n
            """,
            ReadReply, ("$o", outcome), ("$n", limit));

    /// <summary>The user's message paired with the draft at <paramref name="draftPath"/> (its outcome), or null.</summary>
    public UserReplyRecord? ReplyToDraft(string draftPath) =>
        Query(
            """
            SELECT message_id, thread_id, sent_at, recipients, own_text, outcome, draft_path, seen_at FROM user_replies
            WHERE draft_path = $d ORDER BY sent_at DESC, message_id LIMIT 1
            """,
            ReadReply, ("$d", draftPath)).FirstOrDefault();

    private static UserReplyRecord ReadReply(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), Parse(r.GetString(2)),
        r.GetString(3).Split('\n', StringSplitOptions.RemoveEmptyEntries), r.GetString(4), Str(r, 5), Str(r, 6), Parse(r.GetString(7)));

    private static DraftOutcomeRecord ReadDraft(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Parse(r.GetString(5)), r.GetString(6), r.GetString(7),
        r.IsDBNull(8) ? null : r.GetDouble(8), Str(r, 9) is { } at ? Parse(at) : null, Str(r, 10));

    private static DateTimeOffset Parse(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
