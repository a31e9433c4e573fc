using System.Text.Json;
using Mirage.Data;
using Npgsql;

namespace Mirage.Realtime;

/// <summary>
/// Several nodes on one PostgreSQL: events travel by LISTEN/NOTIFY. A NOTIFY issued inside the write's
/// transaction is delivered only if and when it commits, and in commit order, to every node (this one too).
/// Messages over NOTIFY's 8000-byte limit carry only the payload id; receivers read the event from the table.
/// </summary>
public sealed partial class PostgresStreamBus(PostgresDatabase database, StreamHub hub, ILogger<PostgresStreamBus> logger)
    : BackgroundService, IStreamBus
{
    public const string Channel = "mirage_stream";
    private const int MaxInlineBytes = 7000;

    private sealed record Wire(long[][]? R, string? T, string? D, long? P, long[]? U, string? E);

    public Task PublishAsync(DbSession db, StreamDelivery delivery)
    {
        var wire = new Wire([.. delivery.Recipients.Select(r => new[] { r.UserId, r.Seq })], delivery.Type, delivery.Data, null, null, null);
        var message = JsonSerializer.Serialize(wire);
        if (message.Length > MaxInlineBytes)
        {
            return db.ExecuteAsync(
                "SELECT pg_notify(@channel, @message)",
                new { channel = Channel, message = JsonSerializer.Serialize(new Wire(null, null, null, delivery.PayloadId, null, null)) });
        }
        return db.ExecuteAsync("SELECT pg_notify(@channel, @message)", new { channel = Channel, message });
    }

    public async Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent)
    {
        // Chunk the recipients so each message stays under the NOTIFY limit.
        foreach (var chunk in userIds.Chunk(500))
        {
            var message = JsonSerializer.Serialize(new Wire(null, streamEvent.Type, streamEvent.Data, null, chunk, "e"));
            await database.WriteAsync(db => db.ExecuteAsync("SELECT pg_notify(@channel, @message)", new { channel = Channel, message }));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
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
            var wire = JsonSerializer.Deserialize<Wire>(payload);
            if (wire is null)
            {
                return;
            }
            if (wire.E == "e" && wire.U is not null && wire.T is not null && wire.D is not null)
            {
                hub.DeliverEphemeral(wire.U, new StreamEvent(null, wire.T, wire.D));
            }
            else if (wire.R is not null && wire.T is not null && wire.D is not null)
            {
                hub.Deliver(new StreamDelivery(0, [.. wire.R.Select(r => (r[0], r[1]))], wire.T, wire.D));
            }
            else if (wire.P is { } payloadId)
            {
                _ = DeliverByReferenceAsync(payloadId);
            }
        }
        catch (JsonException ex)
        {
            LogBadMessage(ex);
        }
    }

    /// <summary>
    /// A delivery too large to inline: read it for the users connected here. It may overtake a later inline
    /// event; connections fill such gaps from the table and drop repeats, so order and uniqueness hold.
    /// </summary>
    private async Task DeliverByReferenceAsync(long payloadId)
    {
        try
        {
            var connected = hub.ConnectedUsers();
            if (connected.Count == 0)
            {
                return;
            }
            var rows = (await database.ReadAsync(db => StreamStore.ReadPayloadAsync(db, payloadId, connected))).ToList();
            if (rows.Count > 0)
            {
                hub.Deliver(new StreamDelivery(payloadId, [.. rows.Select(r => (r.UserId, r.Seq))], rows[0].Type, rows[0].Data));
            }
        }
        catch (Exception ex)
        {
            LogListenFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for stream events failed; retrying")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a malformed stream message")]
    private partial void LogBadMessage(Exception exception);
}
