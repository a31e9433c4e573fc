using Microsoft.Data.Sqlite;
using Mirage.Data;

namespace Mirage.Seeding;

/// <summary>
/// Writes on the SQLite file directly (not through the group-commit writer): one prepared INSERT per table,
/// a transaction per batch of rows. synchronous=NORMAL in WAL mode keeps the file consistent if the machine
/// fails mid-seed; it only risks the last batches, which a re-run with another prefix replaces.
/// </summary>
public sealed class SqliteSeedWriter(SqliteConnection connection, int batchSize) : ISeedWriter
{
    public static async Task<SqliteSeedWriter> OpenAsync(SqliteDatabase database, int batchSize)
    {
        var connection = await database.OpenMaintenanceConnectionAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;";
        await pragma.ExecuteNonQueryAsync();
        return new SqliteSeedWriter(connection, batchSize);
    }

    public async Task<SeedIds> MaxIdsAsync()
    {
        await using var command = connection.CreateCommand();
        // Message ids come from message_ids and are never handed out again, also after their rows are deleted.
        command.CommandText = "SELECT COALESCE((SELECT MAX(id) FROM users), 0), COALESCE((SELECT MAX(id) FROM posts), 0), " +
            "COALESCE((SELECT MAX(id) FROM chats), 0), max(COALESCE((SELECT MAX(id) FROM messages), 0), (SELECT last FROM message_ids WHERE id = 1))";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SeedIds(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public async Task<bool> AnyUsernameStartsWithAsync(string prefix)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE substr(username_key, 1, length($p)) = $p)";
        command.Parameters.AddWithValue("$p", prefix.ToLowerInvariant());
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    public Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, Action<long> progress)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Column))}) " +
            $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
        var parameters = table.Columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.Prepare();
        long done = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
            if (++done % batchSize == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                command.Transaction = transaction;
                progress(done);
            }
        }
        transaction.Commit();
        transaction.Dispose();
        progress(done);
        return Task.CompletedTask;
    }

    public async Task FinishAsync()
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
