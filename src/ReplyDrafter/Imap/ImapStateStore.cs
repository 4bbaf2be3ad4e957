using Microsoft.Data.Sqlite;

namespace ReplyDrafter.Imap;

/// <summary>
/// Where a folder's reading stands: the UIDVALIDITY it was read under, the last UID handed over, and the start of the
/// <c>Since</c> window of the first scan (mail that arrived before it is never read, even with a higher UID).
/// </summary>
internal sealed record ImapFolderState(uint UidValidity, uint LastUid, DateTimeOffset WindowStart);

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

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
