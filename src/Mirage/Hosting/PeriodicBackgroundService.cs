namespace Mirage.Hosting;

/// <summary>
/// Maintenance that runs every <see cref="Period"/> (on the injected clock) until shutdown. A failed round is
/// logged and the next one runs as usual: correctness never depends on these jobs, only tidiness.
/// </summary>
public abstract partial class PeriodicBackgroundService(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Period { get; }

    /// <summary>One round of the work; public so tests can run it without waiting.</summary>
    public abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRoundFailed(logger, ex, GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed; it runs again next period")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string job);
}
