namespace Mirage.Rooms;

/// <summary>
/// Deletes expired and over-cap room messages every minute. Correctness never waits for it: reads filter by
/// retention and cap themselves; this only keeps the table small.
/// </summary>
public sealed partial class RoomRetentionSweeper(RoomMessageService messages, TimeProvider clock, ILogger<RoomRetentionSweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await messages.PurgeAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired room messages failed")]
    private partial void LogSweepFailed(Exception exception);
}
