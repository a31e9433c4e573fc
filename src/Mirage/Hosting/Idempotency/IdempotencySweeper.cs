using Mirage.Common;
using Mirage.Data;

namespace Mirage.Hosting.Idempotency;

/// <summary>Deletes idempotency keys older than their 24 hours (a reuse after that is a new request anyway).</summary>
public sealed class IdempotencySweeper(IDatabase database, TimeProvider clock, ILogger<IdempotencySweeper> logger)
    : PeriodicBackgroundService(clock, logger)
{
    private readonly TimeProvider clock = clock;

    protected override TimeSpan Period => TimeSpan.FromHours(1);

    public override Task RunOnceAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(db => IdempotencyStore.PurgeAsync(db, clock.NowMs() - (long)IdempotencyService.Lifetime.TotalMilliseconds), cancellationToken);
}
