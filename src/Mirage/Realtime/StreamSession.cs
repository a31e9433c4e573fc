using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;

namespace Mirage.Realtime;

/// <summary>How events reach one client: Server-Sent Events or a WebSocket.</summary>
public interface IStreamTransport
{
    Task SendAsync(StreamEvent streamEvent, CancellationToken cancellationToken);

    Task HeartbeatAsync(CancellationToken cancellationToken);

    /// <summary>Says goodbye (why, and that the client should reconnect) and ends the stream.</summary>
    Task CloseAsync(StreamEvent farewell, bool clientAtFault, CancellationToken cancellationToken);
}

/// <summary>
/// Runs one stream from connect to close, the same for SSE and WebSocket: register for live events first,
/// then send what the client missed since its last event id, then live events. Event ids follow commit order and
/// live events arrive in it, so dropping those at or below the last id sent means nothing is sent twice.
/// </summary>
public sealed class StreamSession(IDatabase database, StreamHub hub, TimeProvider clock, IOptions<MirageOptions> options)
{
    private RealtimeOptions Settings => options.Value.Realtime;

    /// <summary>How much longer than the resume window a connected user's stream stays active between refreshes.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    public StreamConnection Open(CurrentUser user)
    {
        var connection = new StreamConnection(user.Id, Settings.QueueCapacity, user.SessionId);
        if (!hub.TryAdd(connection, Settings.MaxConnectionsPerUser))
        {
            throw new MirageException(StatusCodes.Status429TooManyRequests, "too many open streams for this user");
        }
        return connection;
    }

    public async Task RunAsync(StreamConnection connection, long? since, IStreamTransport transport, CancellationToken cancellationToken)
    {
        var userId = connection.UserId;
        try
        {
            var window = (long)Settings.ResumeWindow.TotalMilliseconds;
            var now = clock.NowMs();
            var (wasActiveUntil, position) = await database.WriteAsync(async db =>
                (await StreamStore.ActivateAsync(db, userId, now + window + (long)RefreshInterval.TotalMilliseconds), await StreamStore.ClockAsync(db)));
            var last = await ResumeAsync(userId, since, wasActiveUntil, position, now, transport, cancellationToken);
            await transport.SendAsync(Control(StreamEventTypes.Ready, "connected", last), cancellationToken);
            await PumpAsync(connection, last, transport, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client went away (the request aborted, or its socket failed mid-send).
        }
        finally
        {
            hub.Remove(connection);
            await KeepResumableAsync(userId);
        }
    }

    /// <summary>Keeps recording the user's events for one resume window after the stream closed.</summary>
    private async Task KeepResumableAsync(long userId)
    {
        var until = clock.NowMs() + (long)Settings.ResumeWindow.TotalMilliseconds;
        try
        {
            await database.WriteAsync(db => StreamStore.ActivateAsync(db, userId, until), CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down: the head already stays active for the window plus the refresh interval.
        }
    }

    /// <summary>Sends what was missed since <paramref name="since"/>, or a resync when that cannot be done exactly.</summary>
    private async Task<long> ResumeAsync(long userId, long? since, long wasActiveUntil, StreamStore.Clock position, long now,
        IStreamTransport transport, CancellationToken cancellationToken)
    {
        if (since is not { } from)
        {
            return position.Position;
        }
        string? problem = null;
        if (from > position.Position || from < 0)
        {
            problem = "unknown event id";
        }
        else if (wasActiveUntil < now)
        {
            // Nothing was recorded for the user while the stream was inactive, so even an up-to-date id may have missed events.
            problem = "the stream was idle for longer than the resume window";
        }
        else if (from == position.Position)
        {
            return from;
        }
        else if (from < position.PurgedThrough)
        {
            problem = "the missed events are older than the resume window";
        }
        if (problem is null && database.Dialect == SqlDialect.Postgres)
        {
            await StreamOrder.SettleAsync(database, TimeSpan.FromSeconds(1), cancellationToken);
        }
        var missed = problem is null
            ? await database.ReadAsync(db => StreamStore.ReadAfterAsync(db, userId, from, Settings.ResumeMaxEvents + 1))
            : [];
        if (missed.Count > Settings.ResumeMaxEvents)
        {
            problem = $"more than {Settings.ResumeMaxEvents} events were missed";
        }
        if (problem is not null)
        {
            await transport.SendAsync(Control(StreamEventTypes.Resync, problem, position.Position), cancellationToken);
            return position.Position;
        }
        foreach (var entry in missed)
        {
            await transport.SendAsync(new StreamEvent(entry.Id, entry.Type, entry.Data), cancellationToken);
        }
        // The read may have seen events committed after the clock was read; they may also arrive live, as repeats.
        return missed.Count > 0 ? Math.Max(position.Position, missed[^1].Id) : position.Position;
    }

    /// <summary>Control events carry no id: they are about the stream itself, not part of it.</summary>
    private static StreamEvent Control(string type, string reason, long last) =>
        new(null, type, System.Text.Json.JsonSerializer.Serialize(new { reason, last_event_id = last }));

    // No timer per stream: StreamHeartbeat enqueues one marker into every stream each interval. A timeout per wake-up
    // cost a timer registration for every event to every connection (measured at 5 % of the server's CPU in fan-out).
    // Nor a token per wait: a cancelable wait registers with the token each time the queue runs empty, once per event
    // in fan-out. The client going away completes the queue instead, once.
    private async Task PumpAsync(StreamConnection connection, long last, IStreamTransport transport, CancellationToken cancellationToken)
    {
        var reader = connection.Reader;
        using var closeWhenGone = cancellationToken.Register(static c => ((StreamConnection)c!).Close("client disconnected"), connection);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var next))
            {
                if (ReferenceEquals(next, StreamConnection.Heartbeat))
                {
                    await transport.HeartbeatAsync(cancellationToken);
                    continue;
                }
                last = await SendInOrderAsync(connection.UserId, next, last, transport, cancellationToken);
            }
        }
        var reason = connection.CloseReason ?? "stream closed";
        await transport.CloseAsync(Control(StreamEventTypes.Reconnect, reason, last), reason.StartsWith("slow consumer", StringComparison.Ordinal), cancellationToken);
    }

    private async Task<long> SendInOrderAsync(long userId, StreamEvent next, long last, IStreamTransport transport, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(next, StreamConnection.CatchUp))
        {
            // The bus was down: whatever committed since the last sent event is in the table.
            var missed = await database.ReadAsync(db => StreamStore.ReadAfterAsync(db, userId, last, Settings.ResumeMaxEvents));
            foreach (var entry in missed)
            {
                await transport.SendAsync(new StreamEvent(entry.Id, entry.Type, entry.Data), cancellationToken);
                last = entry.Id;
            }
            return last;
        }
        if (next.Id is not { } id)
        {
            await transport.SendAsync(next, cancellationToken);
            return last;
        }
        if (id <= last)
        {
            return last;
        }
        await transport.SendAsync(next, cancellationToken);
        return id;
    }
}
