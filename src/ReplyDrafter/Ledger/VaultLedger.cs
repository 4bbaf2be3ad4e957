using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Ledger;

/// <summary>
/// The journal in <c>.replydrafter/ledger.db</c> (SQLite, WAL, synchronous FULL): which inbox items, messages, threads
/// and output files exist, so a restart neither redoes nor duplicates work. Every write commits after the file it
/// describes has been renamed into place. The schema's version is <c>PRAGMA user_version</c>; an older ledger is
/// migrated on open, a newer one is refused (<see cref="LedgerVersionException"/>).
/// </summary>
internal sealed partial class VaultLedger : IDisposable
{
    /// <summary>The schema this build writes. 0 is the unversioned ledger of earlier builds.</summary>
    public const int SchemaVersion = 4;

    /// <summary>
    /// Additive steps past version 1, each idempotent (CREATE ... IF NOT EXISTS) and independent of the others, so a
    /// ledger at any earlier version reaches <see cref="SchemaVersion"/> whatever order they were added in. Version 2 holds
    /// the learning tables, 3 the LLM usage, 4 the user's proven own messages.
    /// </summary>
    private static readonly (int Version, string Sql)[] s_migrations =
    [
        (2, LearningSchema),
        (3, UsageSchema),
        (4, OwnMessagesSchema),
    ];

    private readonly string _connectionString;
    private static readonly object s_configuredMark = new();

    private readonly Lock _writeLock = new();
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    // The connection of a transaction under way (see InTransaction); only the thread holding _writeLock uses it.
    private SqliteConnection? _batch;
    private SqliteTransaction? _batchTransaction;
    private int _batchThread;

    public VaultLedger(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        Migrate(connection, databasePath);
    }

    public string DatabasePath { get; }

    /// <summary>Schema version 1, created whole for a new ledger.</summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS items (
            content_hash TEXT PRIMARY KEY,
            file_name    TEXT NOT NULL,
            state        TEXT NOT NULL,
            detail       TEXT,
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

    // ---- inbox items -------------------------------------------------------------------------------------------

    public ItemRecord? FindItem(string contentHash) =>
        Query("SELECT content_hash, file_name, state, detail, updated_at FROM items WHERE content_hash = $h", ReadItem, ("$h", contentHash)).FirstOrDefault();

    public void SetItem(string contentHash, string fileName, string state, string? detail, DateTimeOffset now) =>
        Write("""
            INSERT INTO items(content_hash, file_name, state, detail, updated_at) VALUES ($h, $f, $s, $d, $t)
            ON CONFLICT(content_hash) DO UPDATE SET file_name = $f, state = $s, detail = $d, updated_at = $t
            """, ("$h", contentHash), ("$f", fileName), ("$s", state), ("$d", detail), ("$t", Iso(now)));

    public IReadOnlyList<ItemRecord> Items(string? state = null) =>
        Query("SELECT content_hash, file_name, state, detail, updated_at FROM items WHERE $s IS NULL OR state = $s ORDER BY updated_at DESC", ReadItem, ("$s", state));

    // ---- messages and threads ----------------------------------------------------------------------------------

    public string? ThreadOfMessage(string messageId) =>
        Scalar("SELECT thread_id FROM messages WHERE message_id = $m", ("$m", messageId));

    /// <summary>The most recent thread whose normalized subject is this (compared case-insensitively).</summary>
    public string? ThreadOfSubject(string normalizedSubject) =>
        Scalar("SELECT thread_id FROM messages WHERE subject_norm = $s ORDER BY date DESC LIMIT 1", ("$s", normalizedSubject.ToUpperInvariant()));

    public void AddMessage(EmailMessage message, string threadId, string subjectNormalized, string sourcePath, DateTimeOffset now) =>
        Write("""
            INSERT OR IGNORE INTO messages(message_id, thread_id, subject_norm, date, source_path, json, added_at)
            VALUES ($m, $t, $s, $d, $p, $j, $a)
            """,
            ("$m", message.MessageId), ("$t", threadId), ("$s", subjectNormalized.ToUpperInvariant()), ("$d", Iso(message.Date)),
            ("$p", sourcePath), ("$j", JsonSerializer.Serialize(new StoredMessageJson(StoredMessageJson.CurrentVersion, message), LedgerJsonContext.Default.StoredMessageJson)), ("$a", Iso(now)));

    /// <summary>Replaces a known message's stored text (a re-read of a file that grew) and marks its thread as not done, so it is written again.</summary>
    public void RefreshMessage(EmailMessage message) =>
        InTransaction(() =>
        {
            Write("UPDATE messages SET date = $d, json = $j WHERE message_id = $m",
                ("$m", message.MessageId), ("$d", Iso(message.Date)),
                ("$j", JsonSerializer.Serialize(new StoredMessageJson(StoredMessageJson.CurrentVersion, message), LedgerJsonContext.Default.StoredMessageJson)));
            Write("UPDATE threads SET done_version = NULL WHERE thread_id = (SELECT thread_id FROM messages WHERE message_id = $m)", ("$m", message.MessageId));
        });

    /// <summary>Every message of a thread, oldest first, with its vault-relative source copy.</summary>
    public IReadOnlyList<StoredMessage> ThreadMessages(string threadId) =>
        Query(
            "SELECT json, source_path FROM messages WHERE thread_id = $t ORDER BY date, message_id",
            r => new StoredMessage(ReadMessage(r.GetString(0)), r.GetString(1)),
            ("$t", threadId));

    public ThreadRecord? FindThread(string threadId) =>
        Query(
            "SELECT done_version, note_path, draft_path, draft_for FROM threads WHERE thread_id = $t",
            r => new ThreadRecord(threadId, Str(r, 0), Str(r, 1), Str(r, 2), Str(r, 3)),
            ("$t", threadId)).FirstOrDefault();

    public void SaveThread(ThreadRecord thread, DateTimeOffset now) =>
        Write("""
            INSERT INTO threads(thread_id, done_version, note_path, draft_path, draft_for, updated_at) VALUES ($t, $v, $n, $d, $f, $u)
            ON CONFLICT(thread_id) DO UPDATE SET done_version = $v, note_path = $n, draft_path = $d, draft_for = $f, updated_at = $u
            """,
            ("$t", thread.ThreadId), ("$v", thread.DoneVersion), ("$n", thread.NotePath), ("$d", thread.DraftPath), ("$f", thread.DraftFor), ("$u", Iso(now)));

    public int CountThreads() => int.Parse(Scalar("SELECT COUNT(*) FROM threads") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<string> PendingDraftPaths() =>
        Query("SELECT draft_path FROM threads WHERE draft_path IS NOT NULL ORDER BY updated_at DESC", r => r.GetString(0));

    // ---- output files --------------------------------------------------------------------------------------------

    public FileRecord? FileOwnedBy(string ownerKey) =>
        Query(
            "SELECT path, sha256, kind FROM files WHERE owner_key = $o ORDER BY created_at DESC LIMIT 1",
            r => new FileRecord(r.GetString(0), ownerKey, Str(r, 1), r.GetString(2)),
            ("$o", ownerKey)).FirstOrDefault();

    public FileRecord? FileAt(string path) =>
        Query(
            "SELECT owner_key, sha256, kind FROM files WHERE path = $p",
            r => new FileRecord(path, r.GetString(0), Str(r, 1), r.GetString(2)),
            ("$p", path)).FirstOrDefault();

    /// <summary>Claims a path before the file is written, so a crash mid-write leaves the claim and the retry reuses it.</summary>
    public void ReserveFile(string path, string ownerKey, string kind, DateTimeOffset now) =>
        Write("""
            INSERT INTO files(path, owner_key, sha256, kind, created_at) VALUES ($p, $o, NULL, $k, $c)
            ON CONFLICT(path) DO UPDATE SET owner_key = $o, sha256 = NULL, kind = $k, created_at = $c
            """, ("$p", path), ("$o", ownerKey), ("$k", kind), ("$c", Iso(now)));

    /// <summary>A rewrite of <paramref name="path"/> is under way: until <see cref="CompleteFile"/>, any text in it is ours.</summary>
    public void BeginRewrite(string path) =>
        Write("UPDATE files SET sha256 = NULL WHERE path = $p", ("$p", path));

    public void CompleteFile(string path, string sha256) =>
        Write("UPDATE files SET sha256 = $h WHERE path = $p", ("$p", path), ("$h", sha256));

    /// <summary>Gives up ownership: the file was deleted, or the user took it over by editing it.</summary>
    public void ReleaseFile(string path) => Write("DELETE FROM files WHERE path = $p", ("$p", path));

    /// <summary>
    /// Runs <paramref name="writes"/> as one transaction (one commit, one fsync) on this thread. Only for writes that
    /// describe files already in place: a crash before the commit loses them all together, which must leave the same
    /// state a crash before the first of them would.
    /// </summary>
    public void InTransaction(Action writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        lock (_writeLock)
        {
            if (_batch is not null)
            {
                writes();
                return;
            }

            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            (_batch, _batchTransaction, _batchThread) = (connection, transaction, Environment.CurrentManagedThreadId);
            try
            {
                writes();
                transaction.Commit();
            }
            finally
            {
                (_batch, _batchTransaction, _batchThread) = (null, null, 0);
            }
        }
    }

    // Only this database's pool: clearing all of them would close connections that another vault's ledger in the same
    // process (a test host, a compare run) is using at that moment.
    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    // ---- schema versions -------------------------------------------------------------------------------------------

    private static void Migrate(SqliteConnection connection, string databasePath)
    {
        using (var check = connection.CreateCommand())
        {
            // Current already: nothing is written (replay and status open the ledger without changing it).
            check.CommandText = "PRAGMA user_version";
            if (Convert.ToInt32(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == SchemaVersion)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        var version = Convert.ToInt32(ScalarOn(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new LedgerVersionException(
                $"The ledger {databasePath} has schema version {version}, newer than this ReplyDrafter understands (up to {SchemaVersion}): run the newer ReplyDrafter that wrote it, or restore a backup.");
        }

        if (version == 0 && ScalarOn(connection, transaction, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'items'") is not null)
        {
            // The unversioned ledger of earlier builds: an unused column, and message JSON without a version.
            if (ScalarOn(connection, transaction, "SELECT name FROM pragma_table_info('items') WHERE name = 'thread_ids'") is not null)
            {
                ExecuteOn(connection, transaction, "ALTER TABLE items DROP COLUMN thread_ids;");
            }

            ExecuteOn(connection, transaction, "UPDATE messages SET json = json_object('version', 1, 'message', json(json)) WHERE json_type(json, '$.version') IS NULL;");
        }

        ExecuteOn(connection, transaction, Schema);
        foreach (var (_, sql) in s_migrations.Where(m => m.Version > version))
        {
            ExecuteOn(connection, transaction, sql);
        }

        ExecuteOn(connection, transaction, $"PRAGMA user_version = {SchemaVersion};");
        transaction.Commit();
        Execute(connection, "PRAGMA journal_mode = WAL;");
    }

    private static EmailMessage ReadMessage(string json)
    {
        var stored = JsonSerializer.Deserialize(json, LedgerJsonContext.Default.StoredMessageJson);
        return stored is { Version: StoredMessageJson.CurrentVersion, Message: { } message }
            ? message
            : throw new InvalidDataException($"A message in the ledger has an unknown format (version {stored?.Version}).");
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // A pooled connection keeps its settings: each native connection is set up once, not at every one of the
        // dozen opens an email makes.
        if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
        {
            Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
            _configured.AddOrUpdate(handle, s_configuredMark);
        }

        return connection;
    }

    /// <summary>What a connection of this ledger runs with: <c>synchronous</c> (2 = FULL) and <c>busy_timeout</c> in ms.</summary>
    internal (long Synchronous, long BusyTimeout) ConnectionSettings()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT synchronous, timeout FROM pragma_synchronous, pragma_busy_timeout";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private void Write(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_writeLock)
        {
            using var own = _batch is null ? Open() : null;
            using var command = (own ?? _batch!).CreateCommand();
            command.Transaction = own is null ? _batchTransaction : null;
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            command.ExecuteNonQuery();
        }
    }

    private string? Scalar(string sql, params (string Name, object? Value)[] parameters) =>
        Query(sql, r => r.IsDBNull(0) ? null : Convert.ToString(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), parameters).FirstOrDefault();

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        // Inside a transaction, this thread reads what it wrote so far; every other reader sees the last commit.
        var inBatch = _batch is not null && _batchThread == Environment.CurrentManagedThreadId;
        using var own = inBatch ? null : Open();
        using var command = (own ?? _batch!).CreateCommand();
        command.Transaction = own is null ? _batchTransaction : null;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static ItemRecord ReadItem(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Str(r, 3), DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture));

    private static void ExecuteOn(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? ScalarOn(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Str(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string Iso(DateTimeOffset value) => value.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
