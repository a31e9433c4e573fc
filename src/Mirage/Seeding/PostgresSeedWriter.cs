using Npgsql;

namespace Mirage.Seeding;

/// <summary>Writes with binary COPY, one table at a time: the fastest way into PostgreSQL.</summary>
public sealed class PostgresSeedWriter(NpgsqlConnection connection) : ISeedWriter
{
    private const int ProgressEvery = 50_000;

    public static async Task<PostgresSeedWriter> OpenAsync(NpgsqlDataSource dataSource) =>
        new(await dataSource.OpenConnectionAsync());

    public async Task<(long User, long Post)> MaxIdsAsync()
    {
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE((SELECT MAX(id) FROM users), 0), COALESCE((SELECT MAX(id) FROM posts), 0)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
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
        await using var command = new NpgsqlCommand(
            """
            SELECT setval(pg_get_serial_sequence('users', 'id'), GREATEST((SELECT MAX(id) FROM users), 1));
            SELECT setval(pg_get_serial_sequence('posts', 'id'), GREATEST((SELECT MAX(id) FROM posts), 1));
            ANALYZE users; ANALYZE follows; ANALYZE posts; ANALYZE post_hashtags; ANALYZE post_votes; ANALYZE replies;
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
