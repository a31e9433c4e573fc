using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Mirage.Common;

namespace Mirage.Data;

/// <summary>
/// SQLite with one writer. Reads use pooled read-only connections (WAL lets them run beside the writer).
/// Writes are queued to a single connection that batches whatever is waiting into one transaction
/// (group commit): one fsync for many requests under <c>synchronous=FULL</c>, and never "database is locked".
/// Each queued write runs inside its own SAVEPOINT, so one failing request does not undo its neighbours.
/// Connections stay open and keep their prepared statements (<see cref="StatementCachingConnection"/>), and WAL
/// checkpoints run beside the writer (<see cref="SqliteCheckpointer"/>).
/// </summary>
public sealed partial class SqliteDatabase : IDatabase, IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 256;
    private const int MaxIdleReaders = 8;

    /// <summary>A batch slower than this is logged with its slowest write: the writer holds up every other write.</summary>
    private static readonly TimeSpan SlowBatch = TimeSpan.FromMilliseconds(200);

    /// <summary>Backstop: the writer checkpoints by itself only if the background checkpointer falls this far behind.</summary>
    private const int WriterAutoCheckpointPages = 20_000;

    private readonly string writeConnectionString;
    private readonly SqliteReaderPool readers;
    private readonly ILogger<SqliteDatabase> logger;
    private readonly Channel<WriteItem> queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> writer;
    private readonly CancellationTokenSource stopping = new();
    private Task? checkpointer;

    // Loads SQLite and sets it to multi-thread mode before anything opens a connection (see SqliteNativeLibrary).
    static SqliteDatabase() => SqliteNativeLibrary.Init();

    public SqliteDatabase(string databasePath, ILogger<SqliteDatabase> logger)
    {
        this.logger = logger;
        LogLibrary(SqliteNativeLibrary.Version, SqliteNativeLibrary.Source);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        PrivateFiles.CreateFile(databasePath); // before SQLite creates it with the umask's mode
        writeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        readers = new SqliteReaderPool(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false, // pooled by SqliteReaderPool instead, with each connection's prepared statements
        }.ToString(), MaxIdleReaders);
        writer = new Lazy<Task>(() =>
        {
            checkpointer = Task.Run(() => new SqliteCheckpointer(writeConnectionString, logger).RunAsync(stopping.Token));
            return StartWriterThread();
        });
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> read, CancellationToken cancellationToken = default)
    {
        var connection = readers.Rent();
        try
        {
            return await read(new DbSession(connection, null, Dialect));
        }
        finally
        {
            readers.Return(connection);
        }
    }

    public Task<T> WriteAsync<T>(Func<DbSession, Task<T>> write, CancellationToken cancellationToken = default)
    {
        if (writerFault is not null)
        {
            return Task.FromException<T>(Unavailable());
        }
        var item = new WriteItem<T>(write);
        if (!queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }
        _ = writer.Value;
        return item.Completion.Task;
    }

    /// <summary>Reads and writes both work: a dead or stuck writer fails the health check, not only a lost file.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await ReadAsync(s => s.ExecuteScalarAsync<long>("SELECT 1"), cancellationToken);
        await WriteAsync(s => s.ExecuteScalarAsync<long>("SELECT 1"), cancellationToken)
            .WaitAsync(WriterPingTimeout, cancellationToken);
    }

    /// <summary>A read-write connection with the writer's pragmas, for migrations and bulk tools.</summary>
    public async Task<SqliteConnection> OpenMaintenanceConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(writeConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ApplyWriterPragmasAsync(connection);
        return connection;
    }

    private static async Task ApplyWriterPragmasAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = 5000;
            """;
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunBatchAsync(StatementCachingConnection connection, List<WriteItem> batch)
    {
        var succeeded = new List<WriteItem>(batch.Count);
        var started = Stopwatch.GetTimestamp();
        (WriteItem? Item, TimeSpan Took) slowest = (null, TimeSpan.Zero);
        TimeSpan commit;
        try
        {
            await using var transaction = connection.Inner.BeginTransaction();
            foreach (var item in batch)
            {
                var itemStarted = Stopwatch.GetTimestamp();
                await ExecuteAsync(connection, transaction, "SAVEPOINT w");
                try
                {
                    await item.RunAsync(new DbSession(connection, transaction, Dialect));
                    await ExecuteAsync(connection, transaction, "RELEASE w");
                    succeeded.Add(item);
                }
                catch (Exception ex)
                {
                    await ExecuteAsync(connection, transaction, "ROLLBACK TO w; RELEASE w");
                    item.Fail(ex);
                }
                if (Stopwatch.GetElapsedTime(itemStarted) is var took && took > slowest.Took)
                {
                    slowest = (item, took);
                }
            }
            var commitStarted = Stopwatch.GetTimestamp();
            await transaction.CommitAsync();
            commit = Stopwatch.GetElapsedTime(commitStarted);
        }
        catch (Exception ex)
        {
            LogBatchFailed(ex, batch.Count);
            foreach (var item in batch)
            {
                item.Fail(ex);
            }
            return;
        }
        foreach (var item in succeeded)
        {
            item.Session?.RunAfterCommit(logger);
            item.Complete();
        }
        if (Stopwatch.GetElapsedTime(started) is var total && total > SlowBatch)
        {
            LogSlowBatch(batch.Count, total.TotalMilliseconds, slowest.Item?.Name, slowest.Took.TotalMilliseconds, commit.TotalMilliseconds);
        }
    }

    private static async Task ExecuteAsync(StatementCachingConnection connection, SqliteTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        if (writer.IsValueCreated)
        {
            await writer.Value;
        }
        await stopping.CancelAsync();
        if (checkpointer is not null)
        {
            await checkpointer;
        }
        readers.Dispose();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A write batch of {Count} took {TotalMs:0} ms: the slowest write {Slowest} {SlowestMs:0} ms, the commit {CommitMs:0} ms")]
    private partial void LogSlowBatch(int count, double totalMs, string? slowest, double slowestMs, double commitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite {Version} ({Source})")]
    private partial void LogLibrary(string version, string source);

    [LoggerMessage(Level = LogLevel.Error, Message = "A write batch of {Count} failed to commit")]
    private partial void LogBatchFailed(Exception exception, int count);

    private abstract class WriteItem
    {
        public DbSession? Session { get; protected set; }

        /// <summary>Which code queued the write, for the slow-batch log.</summary>
        public abstract string Name { get; }

        public abstract Task RunAsync(DbSession session);
        public abstract void Complete();
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<DbSession, Task<T>> work) : WriteItem
    {
        private T? result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Name => $"{work.Method.DeclaringType?.FullName}.{work.Method.Name}";

        public override async Task RunAsync(DbSession session)
        {
            Session = session;
            result = await work(session);
            await session.RunBeforeCommitAsync();
        }

        public override void Complete() => Completion.TrySetResult(result!);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
