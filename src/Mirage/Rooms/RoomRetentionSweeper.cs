using Mirage.Hosting;

namespace Mirage.Rooms;

/// <summary>
/// Deletes expired and over-cap room messages every minute. Correctness never waits for it: reads filter by
/// retention and cap themselves; this only keeps the table small.
/// </summary>
public sealed class RoomRetentionSweeper(RoomMessageService messages, TimeProvider clock, ILogger<RoomRetentionSweeper> logger)
    : PeriodicBackgroundService(clock, logger)
{
    protected override TimeSpan Period => TimeSpan.FromMinutes(1);

    public override Task RunOnceAsync(CancellationToken cancellationToken) => messages.PurgeAsync(cancellationToken);
}
