using Microsoft.Data.Sqlite;

namespace ReplyDrafter.Imap;

/// <summary>
/// Where a folder's reading stands: the UIDVALIDITY it was read under, the last UID handed over, and the start of the
/// <c>Since</c> window of the first scan (mail that arrived before it is never read, even with a higher UID).
/// </summary>
internal sealed record ImapFolderState(uint UidValidity, uint LastUid, DateTimeOffset WindowStart);

/// <summary>The connection state the last run recorded, as <c>status</c> reads it from another process.</summary>
internal sealed record ImapConnectionRecord(string Account, string Description, DateTimeOffset UpdatedAt);

/// <summary>A draft the Drafts folder has not taken yet; <paramref name="ReplyJson"/> holds its <see cref="DraftReply"/>.</summary>
internal sealed record ImapPendingDraft(long Seq, string ThreadId, string OutboxPath, string ReplyJson);

/// <summary>
/// The source's progress per (account, folder), in a small SQLite file of its own (e.g. <c>.replydrafter/imap.db</c>),
/// written after each message the consumer accepted, so a crash re-delivers at most that message.
/// </summary>
internal sealed class ImapStateStore
{
    private readonly string _connectionString;

    public ImapStateStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS imap_folder_state (
                account TEXT NOT NULL,
                folder TEXT NOT NULL,
                uid_validity INTEGER NOT NULL,
                last_uid INTEGER NOT NULL,
                window_start INTEGER NOT NULL,
                PRIMARY KEY (account, folder));
            CREATE TABLE IF NOT EXISTS imap_drafts (
                thread_id TEXT NOT NULL PRIMARY KEY,
                message_id TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS imap_draft_hashes (
                message_id TEXT NOT NULL PRIMARY KEY,
                body_sha256 TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS imap_pending_drafts (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                thread_id TEXT NOT NULL,
                outbox_path TEXT NOT NULL,
                reply_json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS imap_connection (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                account TEXT NOT NULL,
                description TEXT NOT NULL,
                updated_at INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public ImapFolderState? Get(string account, string folder)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT uid_validity, last_uid, window_start FROM imap_folder_state WHERE account = $a AND folder = $f";
        command.Parameters.AddWithValue("$a", account);
        command.Parameters.AddWithValue("$f", folder);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ImapFolderState((uint)reader.GetInt64(0), (uint)reader.GetInt64(1), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2))) : null;
    }

    public void Set(string account, string folder, ImapFolderState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO imap_folder_state (account, folder, uid_validity, last_uid, window_start) VALUES ($a, $f, $v, $u, $w)
            ON CONFLICT (account, folder) DO UPDATE SET
                uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, window_start = excluded.window_start
            """;
        command.Parameters.AddWithValue("$a", account);
        command.Parameters.AddWithValue("$f", folder);
        command.Parameters.AddWithValue("$v", (long)state.UidValidity);
        command.Parameters.AddWithValue("$u", (long)state.LastUid);
        command.Parameters.AddWithValue("$w", state.WindowStart.ToUnixTimeSeconds());
        command.ExecuteNonQuery();
    }

    /// <summary>Forgets a folder's position: the folder was deleted, and a new one of the same name starts from its Since window.</summary>
    public void Remove(string account, string folder)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM imap_folder_state WHERE account = $a AND folder = $f";
        command.Parameters.AddWithValue("$a", account);
        command.Parameters.AddWithValue("$f", folder);
        command.ExecuteNonQuery();
    }

    /// <summary>Our Message-ID of the thread's draft in the Drafts folder (the one a newer draft supersedes), or null.</summary>
    public string? GetDraft(string threadId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id FROM imap_drafts WHERE thread_id = $t";
        command.Parameters.AddWithValue("$t", threadId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Records (or, with null, forgets) our server draft of a thread.</summary>
    public void SetDraft(string threadId, string? messageId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = messageId is null
            ? "DELETE FROM imap_drafts WHERE thread_id = $t"
            : "INSERT INTO imap_drafts (thread_id, message_id) VALUES ($t, $m) ON CONFLICT (thread_id) DO UPDATE SET message_id = excluded.message_id";
        command.Parameters.AddWithValue("$t", threadId);
        command.Parameters.AddWithValue("$m", (object?)messageId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>The SHA-256 of the body we appended as <paramref name="messageId"/>: a copy whose body differs was edited.</summary>
    public string? GetDraftHash(string messageId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT body_sha256 FROM imap_draft_hashes WHERE message_id = $m";
        command.Parameters.AddWithValue("$m", messageId);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Records (or, with null, forgets) the body hash of a draft we appended.</summary>
    public void SetDraftHash(string messageId, string? sha256)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sha256 is null
            ? "DELETE FROM imap_draft_hashes WHERE message_id = $m"
            : "INSERT INTO imap_draft_hashes (message_id, body_sha256) VALUES ($m, $h) ON CONFLICT (message_id) DO UPDATE SET body_sha256 = excluded.body_sha256";
        command.Parameters.AddWithValue("$m", messageId);
        command.Parameters.AddWithValue("$h", (object?)sha256 ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Keeps a draft the server could not take now, replacing any older undelivered draft of the thread (a newer draft
    /// supersedes it, so at most one waits per thread).
    /// </summary>
    public void AddPendingDraft(string threadId, string outboxPath, string replyJson)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM imap_pending_drafts WHERE thread_id = $t;
            INSERT INTO imap_pending_drafts (thread_id, outbox_path, reply_json) VALUES ($t, $o, $j);
            """;
        command.Parameters.AddWithValue("$t", threadId);
        command.Parameters.AddWithValue("$o", outboxPath);
        command.Parameters.AddWithValue("$j", replyJson);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>The undelivered drafts, oldest first.</summary>
    public IReadOnlyList<ImapPendingDraft> PendingDrafts()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, thread_id, outbox_path, reply_json FROM imap_pending_drafts ORDER BY seq";
        using var reader = command.ExecuteReader();
        var result = new List<ImapPendingDraft>();
        while (reader.Read())
        {
            result.Add(new ImapPendingDraft(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return result;
    }

    public int PendingDraftCount()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM imap_pending_drafts";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Forgets one waiting draft once delivered; by <paramref name="seq"/>, so a newer one of the thread stays.</summary>
    public void RemovePendingDraft(long seq)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM imap_pending_drafts WHERE seq = $s";
        command.Parameters.AddWithValue("$s", seq);
        command.ExecuteNonQuery();
    }

    /// <summary>Forgets the thread's waiting draft: a newer one was delivered, or the thread's draft was withdrawn.</summary>
    public void RemovePendingDrafts(string threadId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM imap_pending_drafts WHERE thread_id = $t";
        command.Parameters.AddWithValue("$t", threadId);
        command.ExecuteNonQuery();
    }

    /// <summary>What the daemon's connection is doing, for <c>status</c> (another process).</summary>
    public void SetConnection(string account, string description, DateTimeOffset now)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO imap_connection (id, account, description, updated_at) VALUES (1, $a, $d, $t)
            ON CONFLICT (id) DO UPDATE SET account = excluded.account, description = excluded.description, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$a", account);
        command.Parameters.AddWithValue("$d", description);
        command.Parameters.AddWithValue("$t", now.ToUnixTimeSeconds());
        command.ExecuteNonQuery();
    }

    /// <summary>The last connection state a daemon or <c>run --once</c> recorded, or null when none ran yet.</summary>
    public ImapConnectionRecord? GetConnection()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT account, description, updated_at FROM imap_connection WHERE id = 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? new ImapConnectionRecord(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2))) : null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
