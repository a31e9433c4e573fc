using Npgsql;

namespace Mirage.Seeding;

/// <summary>Writes with binary COPY, one table at a time: the fastest way into PostgreSQL.</summary>
public sealed class PostgresSeedWriter(NpgsqlConnection connection) : ISeedWriter
{
    private const int ProgressEvery = 50_000;

    // The tables whose ids the seeder assigns itself, in SeedIds order.
    private static readonly string[] IdentityTables = ["users", "posts", "chats", "messages"];

    public static async Task<PostgresSeedWriter> OpenAsync(NpgsqlDataSource dataSource)
    {
        var connection = await dataSource.OpenConnectionAsync();
        // A COPY of a million rows runs for minutes: the request-sized statement timeout does not apply to it.
        await using (var unbounded = new NpgsqlCommand("SET statement_timeout = 0", connection))
        {
            await unbounded.ExecuteNonQueryAsync();
        }
        return new PostgresSeedWriter(connection);
    }

    // An identity sequence can be ahead of MAX(id) (rows deleted since): its ids are never handed out again.
    private static string LastValue(string table) =>
        $"COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)";

    public async Task<SeedIds> MaxIdsAsync()
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {string.Join(", ", IdentityTables.Select(t => $"GREATEST(COALESCE((SELECT MAX(id) FROM {t}), 0), {LastValue(t)})"))}",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SeedIds(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public async Task<bool> AnyUsernameStartsWithAsync(string prefix)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM users WHERE starts_with(username_key, @p))", connection);
        command.Parameters.AddWithValue("p", prefix.ToLowerInvariant());
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task WriteAsync(SeedTable table, IEnumerable<object?[]> rows, Action<long> progress)
    {
        var copy = $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Column))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy);
        long done = 0;
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(row[i], table.Columns[i].Type);
                }
            }
            if (++done % ProgressEvery == 0)
            {
                progress(done);
            }
        }
        await importer.CompleteAsync();
        progress(done);
    }

    public async Task FinishAsync()
    {
        // Identity sequences past the explicit ids, never backwards; then fresh planner statistics.
        var sequences = IdentityTables.Select(t =>
            $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), {LastValue(t)}, 1));");
        await using var command = new NpgsqlCommand(
            string.Join('\n', sequences) + "\nANALYZE users, follows, posts, post_hashtags, post_votes, replies, chats, chat_participants, messages;",
            connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
