using System.Threading.Channels;
using Mirage.Common;

namespace Mirage.Data;

/// <summary>
/// The writer thread and what keeps it alive. A failure inside one write is that write's (its SAVEPOINT is rolled
/// back); a failure of the loop itself (opening the connection, the batch machinery, an after-commit step) used
/// to end the thread silently, and every later write then waited forever. Now the loop is restarted with a growing
/// pause; until it runs again every write fails at once with a 503, and the health check reports it.
/// </summary>
public sealed partial class SqliteDatabase
{
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WriterPingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Why the writer is not running, or null while it is.</summary>
    private volatile Exception? writerFault;

    /// <summary>Runs before each batch on the writer thread: a test's way to make the loop fail outside any write.</summary>
    internal Action? BeforeBatch { get; set; }

    private static MirageException Unavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, "the database is unavailable, try again shortly");

    /// <summary>
    /// The writer runs on a thread of its own. As a thread-pool task, every wake-up of the writer (new writes
    /// queued) waited in the pool's queue behind the requests being served, and every write waits for the writer:
    /// a DM send measured 180 µs of writer time per item under load, most of it spent waiting for a thread.
    /// A dedicated thread is woken by the kernel directly. SQLite's calls are synchronous, so a batch runs to its end
    /// on this thread; should a write await something truly asynchronous, the thread simply waits for it.
    /// </summary>
    private Task StartWriterThread()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            SuperviseWriter();
            done.SetResult();
        })
        {
            IsBackground = true,
            Name = "Mirage SQLite writer",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs the writer until the queue is completed (shutdown), restarting it whenever it fails.</summary>
    private void SuperviseWriter()
    {
        var batch = new List<WriteItem>(MaxBatch);
        var delay = FirstRestartDelay;
        while (true)
        {
            try
            {
                RunWriter(batch, () => delay = FirstRestartDelay);
                return;
            }
            catch (Exception ex)
            {
                writerFault = ex;
                LogWriterFailed(ex, delay.TotalMilliseconds);
                var unavailable = Unavailable();
                foreach (var item in batch)
                {
                    item.Fail(unavailable); // no effect on the ones that already completed
                }
                batch.Clear();
                while (queue.Reader.TryRead(out var waiting))
                {
                    waiting.Fail(unavailable);
                }
            }
            if (queue.Reader.Completion.IsCompleted)
            {
                return;
            }
            Thread.Sleep(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
        }
    }

    private void RunWriter(List<WriteItem> batch, Action succeeded)
    {
        using var connection = new StatementCachingConnection(OpenMaintenanceConnectionAsync().GetAwaiter().GetResult());
        using (var pragma = connection.Inner.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA wal_autocheckpoint = {WriterAutoCheckpointPages}";
            pragma.ExecuteNonQuery();
        }
        if (writerFault is not null)
        {
            LogWriterRestarted();
            writerFault = null;
        }
        var reader = queue.Reader;
        while (WaitForWrites(reader))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            BeforeBatch?.Invoke();
            RunBatchAsync(connection, batch).GetAwaiter().GetResult();
            batch.Clear();
            succeeded();
        }
    }

    private static bool WaitForWrites(ChannelReader<WriteItem> reader)
    {
        var waiting = reader.WaitToReadAsync();
        return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The SQLite writer failed; writes are refused with 503 until it restarts in {DelayMs:0} ms")]
    private partial void LogWriterFailed(Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SQLite writer restarted")]
    private partial void LogWriterRestarted();
}
