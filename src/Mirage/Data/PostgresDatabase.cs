using System.Data;
using Npgsql;

namespace Mirage.Data;

/// <summary>
/// PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Every write is its own READ COMMITTED
/// transaction; concurrency rules live in the SQL (atomic increments, ON CONFLICT, unique constraints).
/// </summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource, ILogger<PostgresDatabase> logger) : IDatabase, IAsyncDisposable, IDisposable
{
    public SqlDialect Dialect => SqlDialect.Postgres;

    public NpgsqlDataSource DataSource => dataSource;

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

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
