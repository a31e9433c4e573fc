using Microsoft.Data.Sqlite;

namespace Mirage.Data;

/// <summary>
/// Copies committed pages from the WAL into the database file every second, on a connection of its own, so a
/// commit never waits for a checkpoint (they used to add hundreds of milliseconds to whichever batch crossed the
/// WAL size limit). PASSIVE never blocks the writer or readers: it copies what no reader still needs, and the
/// writer starts the WAL over once everything has been copied.
/// </summary>
internal sealed partial class SqliteCheckpointer(string connectionString, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(stoppingToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    LogCheckpointFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint failed; the next one retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
