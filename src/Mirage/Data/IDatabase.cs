namespace Mirage.Data;

/// <summary>
/// The data layer's whole surface for feature stores. Reads run on a pooled connection; writes run in a
/// transaction that has committed when the returned task completes, so callers may publish events after it.
/// </summary>
public interface IDatabase
{
    SqlDialect Dialect { get; }

    Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction. The work must only touch the database through the session
    /// it is given (no nested ReadAsync/WriteAsync): on SQLite it runs on the single writer, possibly batched
    /// with other requests' writes into one commit.
    /// </summary>
    Task<T> WriteAsync<T>(Func<DbSession, Task<T>> write, CancellationToken cancellationToken = default);

    /// <summary>Cheap round trip used by the health check.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
