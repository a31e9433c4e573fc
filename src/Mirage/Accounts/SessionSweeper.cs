
namespace Mirage.Accounts;

/// <summary>Deletes expired sessions now and then; correctness never depends on it (reads check expiry).</summary>
public sealed partial class SessionSweeper(SessionService sessions, TimeProvider clock, ILogger<SessionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await sessions.DeleteExpiredAsync(stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired sessions failed")]
    private partial void LogSweepFailed(Exception exception);
}
