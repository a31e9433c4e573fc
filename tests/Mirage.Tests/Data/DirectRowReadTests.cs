using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// Typed row reads on SQLite run straight on the library (SqliteStatement) rather than through the provider. They
/// must read and bind exactly as the provider does: every value type, NULL and empty text kept apart, errors as
/// SqliteException, each call's own values, and the connection's open transaction.
/// </summary>
public sealed class DirectRowReadTests : IDisposable
{
    private readonly StatementCachingConnection connection;
    private readonly DbSession session;

    public DirectRowReadTests()
    {
        SqliteNativeLibrary.Init();
        var inner = new SqliteConnection("Data Source=:memory:");
        inner.Open();
        connection = new StatementCachingConnection(inner, capacity: 4);
        session = new DbSession(connection, null, SqlDialect.Sqlite);
        connection.Execute("CREATE TABLE v (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)");
        connection.Execute("INSERT INTO v VALUES (1, 'héllo 👋', 2.5, x'0102'), (2, '', NULL, NULL), (3, NULL, -1, x'')");
    }

    public void Dispose() => connection.Dispose();

    private sealed record Row(long Id, string? Name, double? Score, byte[]? Data);

    private static Row Read(IDataRecord r) => new(
        r.GetInt64(0),
        r.GetNullableString(1),
        r.IsDBNull(2) ? null : r.GetDouble(2),
        r.IsDBNull(3) ? null : (byte[])r.GetValue(3));

    [Fact]
    public void The_direct_path_is_the_one_in_use()
    {
        Assert.True(SqliteNative.IsAvailable);
    }

    [Fact]
    public async Task Every_value_type_reads_as_stored_and_null_stays_apart_from_empty()
    {
        var rows = await session.QueryRowsAsync("SELECT id, name, score, data FROM v ORDER BY id", null, Read);

        Assert.Equal(3, rows.Count);
        Assert.Equal((1L, "héllo 👋", 2.5), (rows[0].Id, rows[0].Name, rows[0].Score));
        Assert.Equal([1, 2], rows[0].Data);
        Assert.Equal("", rows[1].Name);
        Assert.Null(rows[1].Score);
        Assert.Null(rows[1].Data);
        Assert.Null(rows[2].Name);
        Assert.Equal(-1.0, rows[2].Score);
        Assert.Empty(rows[2].Data!);
    }

    [Fact]
    public async Task Each_call_binds_its_own_values_of_every_kind()
    {
        const string sql = "SELECT id FROM v WHERE (@name IS NULL OR name = @name) AND id >= @from AND (@flag OR id < 3) ORDER BY id";

        Assert.Equal([1L], await session.QueryIdsAsync(sql, new { name = "héllo 👋", from = 1, flag = false }));
        Assert.Equal([2L], await session.QueryIdsAsync(sql, new { name = "", from = 1L, flag = true }));
        Assert.Equal([2L, 3L], await session.QueryIdsAsync(sql, new { name = (string?)null, from = (short)2, flag = true }));
        Assert.Equal([1L], await session.QueryIdsAsync("SELECT id FROM v WHERE score > @min", new { min = 2.0 }));
        Assert.Equal([3L], await session.QueryIdsAsync("SELECT id FROM v WHERE data = @data", new { data = Array.Empty<byte>() }));
    }

    [Theory]
    [InlineData(new long[] { 3, 1 }, new long[] { 1, 3 })]
    [InlineData(new long[] { 2 }, new long[] { 2 })]
    [InlineData(new long[] { }, new long[] { })]
    [InlineData(new long[] { 9 }, new long[] { })]
    public async Task An_id_list_of_any_length_binds_as_one_parameter(long[] wanted, long[] found)
    {
        var list = SqlDialect.Sqlite.Ids("@ids", wanted);
        Assert.Equal(found, await session.QueryIdsAsync($"SELECT id FROM v WHERE id {list.In} ORDER BY id", new { ids = list.Value }));
    }

    [Theory]
    [InlineData(new[] { "héllo 👋", "" }, new long[] { 1, 2 })]
    [InlineData(new[] { "héllo 👋" }, new long[] { 1 })]
    public async Task A_text_list_binds_as_one_parameter(string[] names, long[] found)
    {
        var list = SqlDialect.Sqlite.Texts("@names", names);
        Assert.Equal(found, await session.QueryIdsAsync($"SELECT id FROM v WHERE name {list.In} ORDER BY id", new { names = list.Value }));
    }

    [Fact]
    public async Task A_typed_getter_on_null_throws_as_the_provider_does()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            session.QueryRowsAsync("SELECT name FROM v WHERE id = 3", null, r => r.GetString(0)));
        // The statement went back to the cache reset: the next call runs normally.
        Assert.Equal(["héllo 👋"], await session.QueryRowsAsync("SELECT name FROM v WHERE id = 1", null, r => r.GetString(0)));
    }

    [Fact]
    public async Task Errors_are_sqlite_exceptions_and_leave_the_statement_usable()
    {
        const string sql = "SELECT json_extract(@doc, '$.a')";
        var error = await Assert.ThrowsAsync<SqliteException>(() => session.QueryRowsAsync(sql, new { doc = "not json" }, r => r.GetInt64(0)));
        Assert.Equal(1, error.SqliteErrorCode);
        Assert.Contains("JSON", error.Message, StringComparison.OrdinalIgnoreCase);

        Assert.Equal([7L], await session.QueryRowsAsync(sql, new { doc = """{"a":7}""" }, r => r.GetInt64(0)));
        await Assert.ThrowsAsync<SqliteException>(() => session.QueryIdsAsync("SELECT id FROM missing_table"));
    }

    [Fact]
    public async Task A_missing_value_is_refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.QueryIdsAsync("SELECT id FROM v WHERE id = @id", new { other = 1 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => session.QueryIdsAsync("SELECT id FROM v WHERE id = @id"));
        Assert.Equal([1L], await session.QueryIdsAsync("SELECT id FROM v WHERE id = @id", new { id = 1 }));
    }

    [Fact]
    public async Task What_only_the_provider_can_do_still_goes_through_it()
    {
        // Dapper's list expansion, and SQL of several statements.
        Assert.Equal([1L, 3L], await session.QueryIdsAsync("SELECT id FROM v WHERE id IN @ids ORDER BY id", new { ids = new[] { 1, 3 } }));
        Assert.Equal(2, await session.ExecuteAsync("UPDATE v SET score = 0 WHERE id = 1; UPDATE v SET score = 0 WHERE id = 2"));
        Assert.Equal([1L, 2L], await session.QueryIdsAsync("SELECT id FROM v WHERE score = 0 ORDER BY id"));
    }

    [Fact]
    public async Task Single_values_follow_dappers_rules()
    {
        Assert.Equal(3L, await session.QuerySingleAsync<long>("SELECT count(*) FROM v"));
        Assert.Equal("", await session.QuerySingleAsync<string>("SELECT name FROM v WHERE id = 2"));
        Assert.Null(await session.QuerySingleAsync<string?>("SELECT name FROM v WHERE id = 3"));
        Assert.Equal(2.5, await session.QuerySingleAsync<double>("SELECT score FROM v WHERE id = 1"));
        Assert.True(await session.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM v WHERE id = @id)", new { id = 2 }));
        Assert.Equal(1, await session.ExecuteScalarAsync<int>("SELECT id FROM v ORDER BY id"));
        Assert.Null(await session.ExecuteScalarAsync<long?>("SELECT id FROM v WHERE id = 9"));
        Assert.Null(await session.QuerySingleOrDefaultAsync<long?>("SELECT score FROM v WHERE id = 2"));
        Assert.Null(await session.QuerySingleOrDefaultAsync<long?>("SELECT id FROM v WHERE id = 9"));
        Assert.Equal(1L, await session.QueryFirstOrDefaultAsync<long?>("SELECT id FROM v ORDER BY id"));
        Assert.Equal(["", "héllo 👋"], await session.QueryAsync<string>("SELECT name FROM v WHERE name IS NOT NULL ORDER BY name"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.QuerySingleAsync<long>("SELECT id FROM v WHERE id = 9"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.QuerySingleAsync<long>("SELECT id FROM v"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => session.QuerySingleOrDefaultAsync<long?>("SELECT id FROM v"));
        // A row type is Dapper's to map.
        Assert.Equal("héllo 👋", (await session.QuerySingleAsync<NameRow>("SELECT id, name FROM v WHERE id = 1")).Name);
    }

    private sealed record NameRow(long Id, string Name);

    [Fact]
    public async Task Execute_counts_the_rows_changed_and_returning_gives_the_new_row()
    {
        Assert.Equal(2, await session.ExecuteAsync("UPDATE v SET score = @score WHERE id < @id", new { score = 1.5, id = 3 }));
        Assert.Equal(0, await session.ExecuteAsync("UPDATE v SET score = 1 WHERE id = 9"));
        var id = await session.QuerySingleAsync<long>("INSERT INTO v (name) VALUES (@name) RETURNING id", new { name = "x" });
        Assert.Equal(4L, id);
        Assert.Equal("x", await session.QuerySingleAsync<string>("SELECT name FROM v WHERE id = @id", new { id }));
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => session.ExecuteAsync("INSERT INTO v (id) VALUES (1)"));
        Assert.True(SqlDialect.Sqlite.IsUniqueViolation(duplicate));
    }

    [Fact]
    public async Task Reads_see_the_connections_open_transaction()
    {
        using (var transaction = connection.Inner.BeginTransaction())
        {
            var inside = new DbSession(connection, transaction, SqlDialect.Sqlite);
            await inside.ExecuteAsync("INSERT INTO v (id, name) VALUES (9, 'new')");
            Assert.Equal([9L], await inside.QueryIdsAsync("SELECT id FROM v WHERE name = @name", new { name = "new" }));
            transaction.Rollback();
        }
        Assert.Empty(await session.QueryIdsAsync("SELECT id FROM v WHERE name = @name", new { name = "new" }));
    }

    [Fact]
    public async Task More_statements_than_the_cache_holds_all_answer_correctly()
    {
        for (var round = 0; round < 3; round++)
        {
            for (var id = 1; id <= 6; id++)
            {
                var found = await session.QueryIdsAsync($"SELECT id FROM v WHERE id = @id AND {id} = {id}", new { id });
                Assert.Equal(id <= 3 ? [id] : [], found);
            }
        }
    }
}
