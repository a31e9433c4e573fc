namespace Mirage.Files;

/// <summary>
/// Hourly clean-up of what a crash can leave behind: released blobs nobody refers to (normally deleted right
/// after their room) and temp files of uploads that never finished.
/// </summary>
public sealed partial class UploadJanitor(FileService files, FileStorage storage, TimeProvider clock, ILogger<UploadJanitor> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);

    // An upload in progress keeps writing its temp file; one untouched this long is abandoned.
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await files.PurgeReleasedAsync(stoppingToken);
                    storage.DeleteStaleTempFiles(clock.GetUtcNow() - StaleTempAge);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCleanupFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up uploads failed")]
    private partial void LogCleanupFailed(Exception exception);
}
