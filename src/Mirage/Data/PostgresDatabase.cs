using System.Data;
using Mirage.Hosting;
using Npgsql;

namespace Mirage.Data;

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Every write is its own READ COMMITTED
/// transaction; concurrency rules live in the SQL (atomic increments, ON CONFLICT, unique constraints).
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource listenDataSource, ILogger<PostgresDatabase> logger)
    : IDatabase, IAsyncDisposable, IDisposable
{
    public static PostgresDatabase Create(DatabaseOptions options, ILogger<PostgresDatabase> logger)
    {
        var main = PostgresConnectionStrings.ForQueries(options);
        var listen = PostgresConnectionStrings.ForListen(options);
        var dataSource = NpgsqlDataSource.Create(main);
        return new PostgresDatabase(dataSource, listen == main ? dataSource : NpgsqlDataSource.Create(listen), logger);
    }

    public SqlDialect Dialect => SqlDialect.Postgres;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Where LISTEN runs: a session of its own, never through a transaction pooler.</summary>
    public NpgsqlDataSource ListenDataSource => listenDataSource;

    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await read(new DbSession(connection, null, Dialect));
    }

    private const int MaxAttempts = 3;

    /// <summary>
    /// Runs the write in its own transaction; a deadlock or serialization failure (another node or request
    /// won a race) reruns it from the start, which is why write work must only act through its session.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> write, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(write, cancellationToken);
            }
            catch (PostgresException ex) when (attempt < MaxAttempts
                && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
            }
        }
    }

    private async Task<T> WriteOnceAsync<T>(Func<DbSession, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var session = new DbSession(connection, transaction, Dialect);
        var result = await write(session);
        await session.RunBeforeCommitAsync();
        // Once the work is done, the commit is not abandoned because the client went away.
        await transaction.CommitAsync(CancellationToken.None);
        session.RunAfterCommit(logger);
        return result;
    }

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(s => s.ExecuteScalarAsync<int>("SELECT 1"), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await dataSource.DisposeAsync();
        if (listenDataSource != dataSource)
        {
            await listenDataSource.DisposeAsync();
        }
    }

    public void Dispose()
    {
        dataSource.Dispose();
        if (listenDataSource != dataSource)
        {
            listenDataSource.Dispose();
        }
    }
}
