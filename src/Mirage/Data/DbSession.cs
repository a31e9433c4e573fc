using System.Data;
using System.Data.Common;
using Dapper;

namespace Mirage.Data;

/// <summary>
/// A connection, and the transaction when writing, handed to a store's work.
/// Every Dapper call goes through here so the transaction is never forgotten.
/// </summary>
public sealed class DbSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    public SqlDialect Dialect { get; } = dialect;
    public DbConnection Connection { get; } = connection;
    public DbTransaction? Transaction { get; } = transaction;

    private List<Action>? afterCommit;
    private List<Func<Task>>? beforeCommit;
    private Dictionary<Type, object>? state;

    /// <summary>
    /// Per-write state for helpers that gather work during a write and do it once at the end
    /// (the real-time stream writes all its events in one sorted statement, so row locks never deadlock).
    /// </summary>
    public T State<T>(Func<T> create) where T : class
    {
        state ??= [];
        if (!state.TryGetValue(typeof(T), out var value))
        {
            value = create();
            state[typeof(T)] = value;
        }
        return (T)value;
    }

    /// <summary>Runs <paramref name="action"/> at the end of this write, inside its transaction.</summary>
    public void BeforeCommit(Func<Task> action)
    {
        if (Transaction is null)
        {
            throw new InvalidOperationException("BeforeCommit needs a write session");
        }
        (beforeCommit ??= []).Add(action);
    }

    internal async Task RunBeforeCommitAsync()
    {
        // An action may register another; run until none is left.
        for (var i = 0; beforeCommit is not null && i < beforeCommit.Count; i++)
        {
            await beforeCommit[i]();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> once this write has committed (never if it rolls back): the place to
    /// publish real-time events, so nobody hears of a change that did not happen.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (Transaction is null)
        {
            throw new InvalidOperationException("AfterCommit needs a write session");
        }
        (afterCommit ??= []).Add(action);
    }

    internal void RunAfterCommit(ILogger logger)
    {
        foreach (var action in afterCommit ?? [])
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "An after-commit action failed");
            }
        }
    }

    // On SQLite nearly every call runs straight on the library (StatementCachingConnection.Direct): for the short
    // statements stores run, Dapper and the provider cost more than SQLite itself, and the single writer runs every
    // write's statements one after another. What needs Dapper (rows mapped onto records, lists expanded into IN)
    // still uses it, through its synchronous API: the SQLite provider's async methods only wrap synchronous work.
    private bool Synchronous => ReferenceEquals(Dialect, SqlDialect.Sqlite);

    private SqliteStatement? Direct(string sql, object? param) =>
        Synchronous && SqliteNative.IsAvailable && Connection is StatementCachingConnection cached ? cached.Direct(sql, param) : null;

    private TResult Run<TResult>(SqliteStatement statement, Func<SqliteStatement, TResult> run)
    {
        try
        {
            return run(statement);
        }
        finally
        {
            ((StatementCachingConnection)Connection).Release(statement);
        }
    }

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null)
    {
        if (ScalarColumn<T>.IsSupported && Direct(sql, param) is { } statement)
        {
            return Task.FromResult<IEnumerable<T>>(Run(statement, ScalarColumn<T>.All));
        }
        return Synchronous
            ? Task.FromResult(Connection.Query<T>(sql, param, Transaction))
            : Connection.QueryAsync<T>(sql, param, Transaction);
    }

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null)
    {
        if (ScalarColumn<T>.IsSupported && Direct(sql, param) is { } statement)
        {
            return Task.FromResult<T?>(Run(statement, ScalarColumn<T>.SingleOrDefault));
        }
        return Synchronous
            ? Task.FromResult(Connection.QuerySingleOrDefault<T>(sql, param, Transaction))
            : Connection.QuerySingleOrDefaultAsync<T>(sql, param, Transaction);
    }

    public Task<T?> QueryFirstOrDefaultAsync<T>(string sql, object? param = null)
    {
        if (ScalarColumn<T>.IsSupported && Direct(sql, param) is { } statement)
        {
            return Task.FromResult<T?>(Run(statement, ScalarColumn<T>.FirstOrDefault));
        }
        return Synchronous
            ? Task.FromResult(Connection.QueryFirstOrDefault<T>(sql, param, Transaction))
            : Connection.QueryFirstOrDefaultAsync<T>(sql, param, Transaction);
    }

    public Task<T> QuerySingleAsync<T>(string sql, object? param = null)
    {
        if (ScalarColumn<T>.IsSupported && Direct(sql, param) is { } statement)
        {
            return Task.FromResult(Run(statement, ScalarColumn<T>.Single));
        }
        return Synchronous
            ? Task.FromResult(Connection.QuerySingle<T>(sql, param, Transaction))
            : Connection.QuerySingleAsync<T>(sql, param, Transaction);
    }

    public Task<int> ExecuteAsync(string sql, object? param = null)
    {
        if (Direct(sql, param) is { } statement)
        {
            return Task.FromResult(Run(statement, static s => s.Execute()));
        }
        return Synchronous
            ? Task.FromResult(Connection.Execute(sql, param, Transaction))
            : Connection.ExecuteAsync(sql, param, Transaction);
    }

    public Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null)
    {
        if (ScalarColumn<T>.IsSupported && Direct(sql, param) is { } statement)
        {
            return Task.FromResult<T?>(Run(statement, ScalarColumn<T>.FirstOrDefault));
        }
        return Synchronous
            ? Task.FromResult(Connection.ExecuteScalar<T>(sql, param, Transaction))
            : Connection.ExecuteScalarAsync<T>(sql, param, Transaction);
    }

    /// <summary>
    /// Rows read with typed getters by <paramref name="read"/> instead of Dapper's mapping, which boxes every value
    /// through <c>GetValue</c>: for the lists read on hot paths (a page of posts or messages).
    /// </summary>
    public Task<List<T>> QueryRowsAsync<T>(string sql, object? param, Func<IDataRecord, T> read)
    {
        if (Direct(sql, param) is { } statement)
        {
            return Task.FromResult(Run(statement, s => ReadAll(s, read)));
        }
        if (Synchronous)
        {
            using var reader = Connection.ExecuteReader(sql, param, Transaction);
            return Task.FromResult(ReadAll(reader, read));
        }
        return QueryRowsOverNetworkAsync(sql, param, read);
    }

    /// <summary>The one row of the result, read by <paramref name="read"/>; throws unless there is exactly one.</summary>
    public async Task<T> QuerySingleRowAsync<T>(string sql, object? param, Func<IDataRecord, T> read) =>
        (await QueryRowsAsync(sql, param, read)).Single();

    /// <summary>The row of the result, or null when there is none; throws when there are several.</summary>
    public async Task<T?> QuerySingleRowOrDefaultAsync<T>(string sql, object? param, Func<IDataRecord, T> read) where T : class =>
        (await QueryRowsAsync(sql, param, read)).SingleOrDefault();

    private static List<T> ReadAll<T>(SqliteStatement statement, Func<IDataRecord, T> read)
    {
        var rows = new List<T>();
        while (statement.Step())
        {
            rows.Add(read(statement));
        }
        return rows;
    }

    private static List<T> ReadAll<T>(IDataReader reader, Func<IDataRecord, T> read)
    {
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    // PostgreSQL: rows arrive over the network, so wait for them without holding a thread.
    private async Task<List<T>> QueryRowsOverNetworkAsync<T>(string sql, object? param, Func<IDataRecord, T> read)
    {
        var rows = new List<T>();
        await using var reader = await Connection.ExecuteReaderAsync(sql, param, Transaction);
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    /// <summary>The first column of every row, as ids.</summary>
    public Task<List<long>> QueryIdsAsync(string sql, object? param = null) =>
        QueryRowsAsync(sql, param, static r => r.GetInt64(0));
}
