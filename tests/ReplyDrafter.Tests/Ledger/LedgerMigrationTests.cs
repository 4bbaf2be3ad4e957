using System.Text.Json;
using Microsoft.Data.Sqlite;
using ReplyDrafter.Ledger;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Ledger;

public sealed class LedgerMigrationTests : IDisposable
{
    // The schema of the unversioned ledger (user_version 0), exactly as builds before schema versions created it.
    private const string UnversionedSchema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS items (
            content_hash TEXT PRIMARY KEY,
            file_name    TEXT NOT NULL,
            state        TEXT NOT NULL,
            detail       TEXT,
            thread_ids   TEXT NOT NULL DEFAULT '[]',
            updated_at   TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS messages (
            message_id   TEXT PRIMARY KEY,
            thread_id    TEXT NOT NULL,
            subject_norm TEXT NOT NULL,
            date         TEXT NOT NULL,
            source_path  TEXT NOT NULL,
            json         TEXT NOT NULL,
            added_at     TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS messages_thread ON messages(thread_id);
        CREATE INDEX IF NOT EXISTS messages_subject ON messages(subject_norm);
        CREATE TABLE IF NOT EXISTS threads (
            thread_id    TEXT PRIMARY KEY,
            done_version TEXT,
            note_path    TEXT,
            draft_path   TEXT,
            draft_for    TEXT,
            updated_at   TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS files (
            path       TEXT PRIMARY KEY,
            owner_key  TEXT NOT NULL,
            sha256     TEXT,
            kind       TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS files_owner ON files(owner_key);
        """;

    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    private readonly TempVault _vault = new();

    public void Dispose() => _vault.Dispose();

    [Fact]
    public void Open_UnversionedLedgerWithData_MigratesAndKeepsEveryRow()
    {
        var message = new EmailMessage(
            "m1@example.com", null, ["r0@example.com"], new MailParty("Bob", "bob@example.com"), [new MailParty("Ada", "ada@example.com")], [], [],
            new DateTimeOffset(2025, 12, 1, 9, 0, 0, TimeSpan.Zero), "Re: Plan", "body", "own", [new AttachmentInfo("a.pdf", "application/pdf", 12)], null);
        using (var old = OpenRaw())
        {
            Run(old, UnversionedSchema);
            Run(old, "INSERT INTO items VALUES ('h1', 'a.eml', 'done', NULL, '[\"t1\"]', '2025-12-01T09:00:00.0000000+00:00')");
            Run(old, "INSERT INTO messages VALUES ('m1@example.com', 't1', 'PLAN', '2025-12-01T09:00:00.0000000+00:00', 'Sources/Email/2025/a.md', $j, '2025-12-01T09:00:00.0000000+00:00')",
                ("$j", JsonSerializer.Serialize(message, s_web)));
            Run(old, "INSERT INTO threads VALUES ('t1', 'v1', 'Notes/a.md', NULL, NULL, '2025-12-01T09:00:00.0000000+00:00')");
            Run(old, "INSERT INTO files VALUES ('Notes/a.md', 'note:t1', 'abc', 'note', '2025-12-01T09:00:00.0000000+00:00')");
        }

        using var ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);

        var stored = Assert.Single(ledger.ThreadMessages("t1"));
        Assert.Equal(JsonSerializer.Serialize(message, s_web), JsonSerializer.Serialize(stored.Message, s_web));
        Assert.Equal(new AttachmentInfo("a.pdf", "application/pdf", 12), Assert.Single(stored.Message.Attachments));
        Assert.Equal("Sources/Email/2025/a.md", stored.SourcePath);
        Assert.Equal(ItemStates.Done, ledger.FindItem("h1")?.State);
        Assert.Equal(new ThreadRecord("t1", "v1", "Notes/a.md", null, null), ledger.FindThread("t1"));
        Assert.Equal("abc", ledger.FileAt("Notes/a.md")?.Sha256);
        using var after = OpenRaw();
        Assert.Equal((long)ReplyDrafter.Ledger.VaultLedger.SchemaVersion, Scalar(after, "PRAGMA user_version"));
        Assert.Equal(0L, Scalar(after, "SELECT COUNT(*) FROM pragma_table_info('items') WHERE name = 'thread_ids'"));
        Assert.Equal(1L, Scalar(after, "SELECT json_extract(json, '$.version') FROM messages"));
    }

    [Fact]
    public void Open_Version1Ledger_AddsTheLearningTablesAndKeepsEveryRow()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        using (var v1 = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath))
        {
            v1.SetItem("h1", "a.eml", ItemStates.Done, null, now);
            v1.SaveThread(new ThreadRecord("t1", "v1", "Notes/a.md", "Outbox/a.md", "m1@example.com"), now);
        }

        using (var raw = OpenRaw())
        {
            // What a version-1 build left: no learning tables.
            Run(raw, "DROP TABLE draft_outcomes; DROP TABLE user_replies; PRAGMA user_version = 1;");
        }

        using var ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);
        ledger.SaveDraft(new DraftOutcomeRecord("Outbox/a.md", "t1", "m1@example.com", "gpt", "abc", now, "Hi", "pending", null, null, null));
        ledger.SetDraftOutcome("Outbox/a.md", "edited", 0.75, now.AddDays(1), "r1@example.com");
        ledger.AddUserReply(new UserReplyRecord("r1@example.com", "t1", now.AddDays(1), ["bob@example.com", "cc@example.com"], "Hi there", "edited", "Outbox/a.md", now.AddDays(2)));

        Assert.Equal(ItemStates.Done, ledger.FindItem("h1")?.State);
        Assert.Equal(new ThreadRecord("t1", "v1", "Notes/a.md", "Outbox/a.md", "m1@example.com"), ledger.FindThread("t1"));
        Assert.Equal(
            new DraftOutcomeRecord("Outbox/a.md", "t1", "m1@example.com", "gpt", "abc", now, "Hi", "edited", 0.75, now.AddDays(1), "r1@example.com"),
            ledger.FindDraft("Outbox/a.md"));
        var reply = Assert.Single(ledger.UserReplies("edited"));
        Assert.Equal(["bob@example.com", "cc@example.com"], reply.Recipients);
        Assert.Equal((now.AddDays(1), now.AddDays(2), "Hi there"), (reply.SentAt, reply.SeenAt, reply.OwnText));
        Assert.True(ledger.HasUserReply("r1@example.com"));
        using var after = OpenRaw();
        Assert.Equal((long)ReplyDrafter.Ledger.VaultLedger.SchemaVersion, Scalar(after, "PRAGMA user_version"));
    }

    [Fact]
    public void Open_NewLedger_IsCreatedAtTheCurrentVersion()
    {
        using (new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath))
        {
        }

        using var raw = OpenRaw();
        Assert.Equal((long)ReplyDrafter.Ledger.VaultLedger.SchemaVersion, Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public void Open_LedgerFromANewerBuild_RefusesWithTheVersionsInTheMessage()
    {
        using (var raw = OpenRaw())
        {
            Run(raw, "CREATE TABLE items (content_hash TEXT PRIMARY KEY); PRAGMA user_version = 99;");
        }

        var error = Assert.Throws<LedgerVersionException>(() => new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath));

        Assert.Equal(
            $"The ledger {_vault.Layout.LedgerPath} has schema version 99, newer than this ReplyDrafter understands (up to {ReplyDrafter.Ledger.VaultLedger.SchemaVersion}): run the newer ReplyDrafter that wrote it, or restore a backup.",
            error.Message);
        Assert.Equal(error.Message, ReplyDrafter.Cli.CliHost.Describe(new InvalidOperationException("host", error)));
    }

    [Fact]
    public void Open_Version1LedgerWithData_GainsTheUsageTableAndKeepsEveryRow()
    {
        var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        using (var ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath))
        {
            ledger.SetItem("h1", "a.eml", ItemStates.Done, null, now);
        }

        // Back to what a version-1 build left: no usage table, user_version 1.
        using (var raw = OpenRaw())
        {
            Run(raw, "DROP TABLE llm_calls; PRAGMA user_version = 1;");
        }

        using (var ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath))
        {
            Assert.Equal(ItemStates.Done, ledger.FindItem("h1")?.State);
            ledger.AddLlmCall(new LlmCallRecord(now, new DateOnly(2026, 1, 5), "thread-note", "m", 100, 40, 20, 1, TimeSpan.FromSeconds(1)));
            Assert.Equal(new LlmUsageTotals(1, 100, 40, 20), ledger.LlmUsage(new DateOnly(2026, 1, 5)));
        }

        using var after = OpenRaw();
        Assert.Equal((long)ReplyDrafter.Ledger.VaultLedger.SchemaVersion, Scalar(after, "PRAGMA user_version"));
    }

    [Fact]
    public void InTransaction_WritesInside_ReadBackOnTheSameThreadAndCommitTogether()
    {
        using var ledger = new ReplyDrafter.Ledger.VaultLedger(_vault.Layout.LedgerPath);
        var now = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

        ledger.InTransaction(() =>
        {
            ledger.ReserveFile("Notes/a.md", "note:t1", "note", now);
            Assert.Equal("note:t1", ledger.FileAt("Notes/a.md")?.OwnerKey);
            ledger.CompleteFile("Notes/a.md", "abc");
        });

        Assert.Equal("abc", ledger.FileAt("Notes/a.md")?.Sha256);
        Assert.Throws<InvalidOperationException>(() => ledger.InTransaction(() =>
        {
            ledger.SetItem("h2", "b.eml", ItemStates.Done, null, now);
            throw new InvalidOperationException("crash before commit");
        }));
        Assert.Null(ledger.FindItem("h2"));
    }

    private SqliteConnection OpenRaw()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_vault.Layout.LedgerPath)!);
        var connection = new SqliteConnection($"Data Source={_vault.Layout.LedgerPath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Run(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
