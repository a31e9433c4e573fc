using Mirage.Accounts;

namespace Mirage.Realtime;

/// <summary>
/// Ends the streams whose session has ended (logout, a password change ending the other sessions, expiry, a
/// revocation on another node): authentication happens once, at connect, and a stream used to keep receiving
/// messages and typing for as long as it stayed open. Twice a second each node asks the database which of its
/// streams' sessions are still valid, one query per 500 sessions; the database is the one place every node's
/// revocations meet, so no message between nodes is needed and nothing is missed while a node's bus is down.
/// The timer runs on real time, not the injected clock: this is about how soon, not about session lifetimes.
/// </summary>
public sealed partial class StreamSessionWatcher(StreamHub hub, SessionService sessions, ILogger<StreamSessionWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    public const string Reason = "session ended: log in again";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
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
                    // The database may be down; the streams are checked again next round.
                    LogRoundFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var connections = hub.Connections();
        if (connections.Count == 0)
        {
            return;
        }
        var live = await sessions.LiveAsync(connections.Select(c => c.SessionId).Distinct().ToList(), cancellationToken);
        foreach (var connection in connections)
        {
            if (!live.Contains(connection.SessionId))
            {
                connection.Close(Reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the open streams' sessions failed; trying again shortly")]
    private partial void LogRoundFailed(Exception exception);
}
