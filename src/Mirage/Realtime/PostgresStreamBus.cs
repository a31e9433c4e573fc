using System.Text.Json;
using System.Threading.Channels;
using Mirage.Data;
using Npgsql;

namespace Mirage.Realtime;

/// <summary>
/// Several nodes on one PostgreSQL. A write that recorded events issues one NOTIFY naming its transaction, which
/// PostgreSQL delivers to every node (this one too) if and when it commits; the NOTIFY only wakes the nodes up.
/// Each node then reads the events from the table in id order, up to the horizon (<see cref="StreamOrder"/>), and
/// hands them to its streams: an event that commits late is read once the horizon passes it, still in order,
/// never behind one already sent. While some transaction that announced events is not yet below the horizon (an
/// older one is still open), the node polls for the horizon with a growing delay.
/// Typing and presence are never stored: they travel inline and are handed over as they come.
/// </summary>
public sealed partial class PostgresStreamBus(PostgresDatabase database, StreamHub hub, StreamDeliverer deliverer, ILogger<PostgresStreamBus> logger)
    : BackgroundService, IStreamBus
{
    public const string Channel = "mirage_stream";
    private const int ReadBatch = 500;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LastPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>X: a transaction that committed events; or U, T, D: an ephemeral event's recipients, type and data.</summary>
    private sealed record Wire(long? X, long[]? U = null, string? T = null, string? D = null);

    private readonly Channel<bool> wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    // The highest transaction heard to have committed events, and where reading restarts once LISTEN is (re)established.
    private long heardThrough = -1;
    private long restartAt = -1;

    public Task PublishAsync(DbSession db, IReadOnlyList<StreamDelivery> deliveries) =>
        deliveries.Count == 0
            ? Task.CompletedTask
            : NotifyAsync(db, new Wire(StreamOrder.TransactionOf(deliveries[0].Event.Id!.Value)));

    public async Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent)
    {
        // Chunk the recipients so each message stays under the NOTIFY limit.
        foreach (var chunk in userIds.Chunk(500))
        {
            await database.WriteAsync(db => NotifyAsync(db, new Wire(null, chunk, streamEvent.Type, streamEvent.Data)));
        }
    }

    private static Task<int> NotifyAsync(DbSession db, Wire wire) =>
        db.ExecuteAsync("SELECT pg_notify(@channel, @message)", new { channel = Channel, message = JsonSerializer.Serialize(wire) });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivering = DeliverCommittedAsync(stoppingToken);
        await ListenAsync(stoppingToken);
        await delivering;
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.ListenDataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Whatever commits from now on is announced, and lies at or above the horizon as it stands now.
                Interlocked.Exchange(ref restartAt, await StreamOrder.HorizonAsync(new DbSession(connection, null, SqlDialect.Postgres)));
                // Anything that committed while we were not listening is fetched by each stream from the table.
                hub.RequestCatchUp();
                wake.Writer.TryWrite(true);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private void OnNotification(string payload)
    {
        try
        {
            switch (JsonSerializer.Deserialize<Wire>(payload))
            {
                case { X: { } transaction }:
                    for (var seen = Volatile.Read(ref heardThrough); seen < transaction;)
                    {
                        var before = Interlocked.CompareExchange(ref heardThrough, transaction, seen);
                        seen = before == seen ? transaction : before;
                    }
                    wake.Writer.TryWrite(true);
                    break;
                case { U: { } users, T: { } type, D: { } data }:
                    hub.Deliver(users, new StreamEvent(null, type, data));
                    break;
            }
        }
        catch (JsonException ex)
        {
            LogBadMessage(ex);
        }
    }

    /// <summary>The one reader of committed events on this node: it alone hands stored events to streams, in id order.</summary>
    private async Task DeliverCommittedAsync(CancellationToken stoppingToken)
    {
        long? cursor = null; // every event below this has been handed over (or predates listening)
        var poll = FirstPoll;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var behind = cursor is { } c && c < (Volatile.Read(ref heardThrough) + 1) << StreamOrder.IndexBits;
                await WaitForWakeAsync(behind ? poll : Timeout.InfiniteTimeSpan, stoppingToken);
                poll = behind ? TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, LastPoll.Ticks)) : FirstPoll;
                if (Interlocked.Exchange(ref restartAt, -1) is var restart and >= 0)
                {
                    cursor = restart;
                }
                if (cursor is not { } from)
                {
                    continue;
                }
                try
                {
                    cursor = await DeliverFromAsync(from);
                    if (cursor > from)
                    {
                        poll = FirstPoll;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The cursor stays where it was: the same events are read again once the database answers.
                    LogDeliveryFailed(ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WaitForWakeAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timer.CancelAfter(timeout);
        try
        {
            await wake.Reader.WaitToReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
        while (wake.Reader.TryRead(out _))
        {
        }
    }

    /// <summary>Hands over the events from <paramref name="from"/> up to the horizon; returns where the next read starts.</summary>
    private async Task<long> DeliverFromAsync(long from)
    {
        while (true)
        {
            if (hub.IsEmpty)
            {
                // Nobody to deliver to: only keep up with where the stream stands. A stream that opens after this
                // read resumes from a horizon at least as far along, so nothing falls between the two.
                var horizon = await database.ReadAsync(StreamOrder.HorizonAsync);
                if (hub.IsEmpty)
                {
                    return Math.Max(from, horizon);
                }
            }
            var committed = await database.ReadAsync(db => StreamOrder.ReadCommittedAsync(db, from, ReadBatch));
            foreach (var delivery in committed.Events)
            {
                await deliverer.DeliverAsync(delivery);
            }
            if (committed.Events.Count < ReadBatch)
            {
                return Math.Max(from, committed.Horizon);
            }
            from = committed.Events[^1].Event.Id!.Value + 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for stream events failed; retrying")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading committed stream events failed; retrying")]
    private partial void LogDeliveryFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a malformed stream message")]
    private partial void LogBadMessage(Exception exception);
}
