using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;

namespace Mirage.Realtime;

/// <summary>
/// Keeps connected users' streams active and deletes events older than the resume window, in bounded
/// batches. On shutdown it closes every stream with a reconnect hint while HTTP keeps being served.
/// </summary>
public sealed class StreamJanitor(
    IDatabase database, StreamHub hub, TimeProvider clock, IOptions<MirageOptions> options,
    IHostApplicationLifetime lifetime, ILogger<StreamJanitor> logger) : PeriodicBackgroundService(clock, logger)
{
    private const int PurgeBatch = 2000;

    private readonly TimeProvider clock = clock;

    protected override TimeSpan Period => TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = lifetime.ApplicationStopping.Register(() => hub.CloseAll("server shutting down; reconnect shortly"));
        await base.ExecuteAsync(stoppingToken);
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var window = options.Value.Realtime.ResumeWindow;
        var now = clock.NowMs();
        var activeUntil = now + (long)(window + StreamSession.RefreshInterval).TotalMilliseconds;
        foreach (var chunk in hub.ConnectedUsers().Chunk(500))
        {
            await database.WriteAsync(db => StreamStore.ExtendAsync(db, chunk, activeUntil), cancellationToken);
        }
        var olderThan = now - (long)window.TotalMilliseconds;
        while (await database.WriteAsync(db => StreamStore.PurgeAsync(db, olderThan, PurgeBatch), cancellationToken) >= PurgeBatch)
        {
        }
    }
}
