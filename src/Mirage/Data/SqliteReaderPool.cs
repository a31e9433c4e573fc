using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Mirage.Data;

/// <summary>
/// Open read-only connections, each with its prepared statements, handed to one read at a time. The provider's own
/// pool keeps the native connection but not the statements, which are what a read spends most on re-creating.
/// </summary>
internal sealed class SqliteReaderPool(string connectionString, int maxIdle) : IDisposable
{
    private readonly ConcurrentQueue<StatementCachingConnection> idle = new();
    private int idleCount;

    /// <summary>How much of the database file readers map (address space, not memory: the kernel pages it in and out).</summary>
    private const long MemoryMapBytes = 1L << 30;

    public StatementCachingConnection Rent()
    {
        if (idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref idleCount);
            return connection;
        }
        var inner = new SqliteConnection(connectionString);
        inner.Open();
        // Reads mostly run straight on SQLite (SqliteStatement), outside the provider's own retry on SQLITE_BUSY:
        // SQLite waits itself instead, for the rare moment a read meets the WAL being reset or recovered.
        // Memory-mapped reads: a page of the database file is read where the kernel keeps it, not copied into each
        // connection's own small cache with a syscall, which is what reads that land anywhere in a big table
        // (the For-You archive sample at a million posts) paid on almost every page.
        using (var pragma = inner.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA busy_timeout = 5000; PRAGMA mmap_size = {MemoryMapBytes}";
            pragma.ExecuteNonQuery();
        }
        return new StatementCachingConnection(inner);
    }

    /// <summary>Keeps the connection for the next read, or closes it when enough are already idle.</summary>
    public void Return(StatementCachingConnection connection)
    {
        if (Interlocked.Increment(ref idleCount) <= maxIdle)
        {
            idle.Enqueue(connection);
            return;
        }
        Interlocked.Decrement(ref idleCount);
        connection.Dispose();
    }

    public void Dispose()
    {
        while (idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }
}
