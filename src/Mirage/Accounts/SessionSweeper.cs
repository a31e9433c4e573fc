using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>Deletes expired sessions now and then; correctness never depends on it (reads check expiry).</summary>
public sealed class SessionSweeper(SessionService sessions, TimeProvider clock, ILogger<SessionSweeper> logger)
    : PeriodicBackgroundService(clock, logger)
{
    protected override TimeSpan Period => TimeSpan.FromHours(1);

    public override Task RunOnceAsync(CancellationToken cancellationToken) => sessions.DeleteExpiredAsync(cancellationToken);
}
