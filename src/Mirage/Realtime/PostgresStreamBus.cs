using System.Text.Json;
using System.Threading.Channels;
using Mirage.Data;
using Npgsql;

namespace Mirage.Realtime;

/// <summary>
/// Several nodes on one PostgreSQL: events travel by LISTEN/NOTIFY. A NOTIFY issued inside the write's
/// transaction is delivered only if and when it commits, and in commit order, to every node (this one too).
/// Messages over NOTIFY's 8000-byte limit carry only the event id; receivers read the event from the table.
/// Each node hands them to its streams one at a time, in the order they came, reads included: streams rely on
/// live events arriving in id order.
/// </summary>
public sealed partial class PostgresStreamBus(PostgresDatabase database, StreamHub hub, StreamDeliverer deliverer, ILogger<PostgresStreamBus> logger)
    : BackgroundService, IStreamBus
{
    public const string Channel = "mirage_stream";
    private const int MaxInlineBytes = 7000;

    /// <summary>
    /// I: the event's id (none for typing and presence); U: its recipients, or R and A: the room whose members (joined by
    /// A) receive it; T, D: type and data; P: read it by id.
    /// </summary>
    private sealed record Wire(long? I, long[]? U, string? T, string? D, long? P, long? R = null, long? A = null)
    {
        public static Wire Of(StreamDelivery delivery) => delivery.RoomId is { } roomId
            ? new Wire(delivery.Event.Id, null, delivery.Event.Type, delivery.Event.Data, null, roomId, delivery.CreatedAt)
            : new Wire(delivery.Event.Id, [.. delivery.Recipients], delivery.Event.Type, delivery.Event.Data, null);

        /// <summary>The delivery an inline message carries; null for one sent by reference (<see cref="P"/>).</summary>
        public StreamDelivery? Inline() =>
            T is { } type && D is { } data ? new StreamDelivery(new StreamEvent(I, type, data), U ?? [], R, A ?? 0) : null;
    }

    private readonly Channel<Wire> received = System.Threading.Channels.Channel.CreateUnbounded<Wire>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public Task PublishAsync(DbSession db, StreamDelivery delivery)
    {
        var message = JsonSerializer.Serialize(Wire.Of(delivery));
        if (message.Length > MaxInlineBytes)
        {
            message = JsonSerializer.Serialize(new Wire(null, null, null, null, delivery.Event.Id));
        }
        return db.ExecuteAsync("SELECT pg_notify(@channel, @message)", new { channel = Channel, message });
    }

    public async Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent)
    {
        // Chunk the recipients so each message stays under the NOTIFY limit.
        foreach (var chunk in userIds.Chunk(500))
        {
            var message = JsonSerializer.Serialize(new Wire(null, chunk, streamEvent.Type, streamEvent.Data, null));
            await database.WriteAsync(db => db.ExecuteAsync("SELECT pg_notify(@channel, @message)", new { channel = Channel, message }));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivering = DeliverReceivedAsync(stoppingToken);
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
                // Anything sent while we were not listening is fetched by each connection from the table.
                hub.RequestCatchUp();
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
            if (JsonSerializer.Deserialize<Wire>(payload) is { } wire)
            {
                received.Writer.TryWrite(wire);
            }
        }
        catch (JsonException ex)
        {
            LogBadMessage(ex);
        }
    }

    private async Task DeliverReceivedAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var wire in received.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await DeliverAsync(wire);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Reading it failed: every stream re-reads what it missed from the table.
                    LogDeliveryFailed(ex);
                    hub.RequestCatchUp();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DeliverAsync(Wire wire)
    {
        if (wire.Inline() is { } inline)
        {
            await deliverer.DeliverAsync(inline);
        }
        else if (wire.P is { } eventId)
        {
            // Too large to inline: read it for the users connected here.
            var connected = hub.ConnectedUsers();
            if (connected.Count > 0 && await database.ReadAsync(db => StreamStore.ReadForAsync(db, eventId, connected)) is { } delivery)
            {
                await deliverer.DeliverAsync(delivery);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for stream events failed; retrying")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering a stream event failed")]
    private partial void LogDeliveryFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a malformed stream message")]
    private partial void LogBadMessage(Exception exception);
}
