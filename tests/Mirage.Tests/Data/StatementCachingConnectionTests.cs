using Dapper;
using Microsoft.Data.Sqlite;
using Mirage.Data;

namespace Mirage.Tests.Data;

/// <summary>
/// The SQLite connection that reuses prepared statements must behave exactly like a plain one under Dapper:
/// fresh parameter values every call, nested use of the same SQL, failures that leave it usable, and a bounded cache.
/// </summary>
public sealed class StatementCachingConnectionTests : IDisposable
{
    private readonly StatementCachingConnection connection;

    public StatementCachingConnectionTests()
    {
        SqliteNativeLibrary.Init();
        var inner = new SqliteConnection("Data Source=:memory:");
        inner.Open();
        connection = new StatementCachingConnection(inner, capacity: 2);
        connection.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
        connection.Execute("INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }

    public void Dispose() => connection.Dispose();

    [Fact]
    public async Task The_same_sql_binds_each_calls_own_values()
    {
        for (var id = 1; id <= 3; id++)
        {
            var name = await connection.QuerySingleAsync<string>("SELECT name FROM t WHERE id = @id", new { id });
            Assert.Equal(((char)('a' + id - 1)).ToString(), name);
        }
        Assert.Null(await connection.QuerySingleOrDefaultAsync<string>("SELECT name FROM t WHERE id = @id", new { id = 9 }));
    }

    [Fact]
    public async Task More_distinct_statements_than_the_cache_holds_all_answer_correctly()
    {
        for (var round = 0; round < 3; round++)
        {
            for (var id = 1; id <= 3; id++)
            {
                // Three texts against a cache of two: each call may find its statement evicted.
                var name = await connection.ExecuteScalarAsync<string>($"SELECT name FROM t WHERE id = {id}");
                Assert.Equal(((char)('a' + id - 1)).ToString(), name);
            }
        }
    }

    [Fact]
    public void The_same_sql_can_run_while_its_first_reader_is_still_open()
    {
        const string sql = "SELECT id FROM t WHERE id >= @from ORDER BY id";
        var pairs = new List<(long, long)>();
        foreach (var outer in connection.Query<long>(sql, new { from = 2 }, buffered: false))
        {
            foreach (var inner in connection.Query<long>(sql, new { from = 3 }, buffered: false))
            {
                pairs.Add((outer, inner));
            }
        }
        Assert.Equal([(2L, 3L), (3L, 3L)], pairs);
        Assert.Equal([1L, 2L, 3L], connection.Query<long>(sql, new { from = 1 }));
    }

    [Fact]
    public async Task A_failed_statement_leaves_the_cached_one_usable_in_the_same_transaction()
    {
        const string insert = "INSERT INTO t (id, name) VALUES (@id, @name)";
        using var transaction = connection.Inner.BeginTransaction();
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(insert, new { id = 4, name = "a" }, transaction));
        await connection.ExecuteAsync(insert, new { id = 4, name = "d" }, transaction);
        transaction.Commit();
        Assert.Equal("d", await connection.QuerySingleAsync<string>("SELECT name FROM t WHERE id = @id", new { id = 4 }));
    }

    [Fact]
    public async Task Dapper_list_expansion_rewrites_the_text_after_adding_parameters()
    {
        var names = await connection.QueryAsync<string>("SELECT name FROM t WHERE id IN @ids ORDER BY id", new { ids = new[] { 1, 3 } });
        Assert.Equal(["a", "c"], names);
        names = await connection.QueryAsync<string>("SELECT name FROM t WHERE id IN @ids ORDER BY id", new { ids = new[] { 2 } });
        Assert.Equal(["b"], names);
    }

    [Fact]
    public void A_missing_parameter_is_still_refused()
    {
        Assert.Throws<InvalidOperationException>(() => connection.Query<string>("SELECT name FROM t WHERE id = @id").ToList());
        Assert.Equal("a", connection.QuerySingle<string>("SELECT name FROM t WHERE id = @id", new { id = 1 }));
    }
}
