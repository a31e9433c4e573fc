using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;

namespace Mirage.Realtime;

/// <summary>
/// One open stream (SSE or WebSocket). Its outgoing queue is bounded: a client that falls too far behind is
/// closed with a reason instead of making the server buffer without limit or slowing anyone else down.
/// </summary>
public sealed class StreamConnection(long userId, int capacity, long sessionId)
{
    /// <summary>Marker asking the connection to re-read its stream from the table (after a bus outage).</summary>
    public static readonly StreamEvent CatchUp = new(null, "__catch_up", "{}");

    /// <summary>Marker asking the connection to send its transport's keep-alive (an SSE comment).</summary>
    public static readonly StreamEvent Heartbeat = new(null, "__heartbeat", "{}");

    private readonly Channel<StreamEvent> queue = Channel.CreateBounded<StreamEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    public long UserId { get; } = userId;

    /// <summary>The session the stream was opened with: the stream ends when it does (<see cref="StreamSessionWatcher"/>).</summary>
    public long SessionId { get; } = sessionId;

    public string? CloseReason { get; private set; }

    public ChannelReader<StreamEvent> Reader => queue.Reader;

    public void Enqueue(StreamEvent streamEvent)
    {
        if (!queue.Writer.TryWrite(streamEvent))
        {
            Close("slow consumer: too many undelivered events; reconnect with the last event id to resume");
        }
    }

    public void Close(string reason)
    {
        CloseReason ??= reason;
        queue.Writer.TryComplete();
    }
}

/// <summary>The streams open on this node, by user. Delivery never blocks: it only enqueues.</summary>
public sealed class StreamHub
{
    private readonly ConcurrentDictionary<long, ImmutableArray<StreamConnection>> byUser = new();

    /// <summary>A user's first stream on this node opened (presence).</summary>
    public event Action<long>? UserOnline;

    /// <summary>A user's last stream on this node closed (presence).</summary>
    public event Action<long>? UserOffline;

    public bool TryAdd(StreamConnection connection, int maxPerUser)
    {
        while (true)
        {
            var current = byUser.GetOrAdd(connection.UserId, []);
            if (current.Length >= maxPerUser)
            {
                return false;
            }
            if (byUser.TryUpdate(connection.UserId, current.Add(connection), current))
            {
                if (current.IsEmpty)
                {
                    UserOnline?.Invoke(connection.UserId);
                }
                return true;
            }
        }
    }

    public void Remove(StreamConnection connection)
    {
        while (byUser.TryGetValue(connection.UserId, out var current))
        {
            var next = current.Remove(connection);
            if (next.IsEmpty
                ? byUser.TryRemove(new KeyValuePair<long, ImmutableArray<StreamConnection>>(connection.UserId, current))
                : byUser.TryUpdate(connection.UserId, next, current))
            {
                if (next.IsEmpty && !current.IsEmpty)
                {
                    UserOffline?.Invoke(connection.UserId);
                }
                return;
            }
        }
    }

    public IReadOnlyCollection<long> ConnectedUsers() => [.. byUser.Keys];

    public IReadOnlyList<StreamConnection> Connections() => [.. byUser.Values.SelectMany(c => c)];

    public bool IsConnected(long userId) => byUser.ContainsKey(userId);

    public bool IsEmpty => byUser.IsEmpty;

    public void Deliver(IEnumerable<long> userIds, StreamEvent streamEvent)
    {
        foreach (var userId in userIds)
        {
            if (byUser.TryGetValue(userId, out var connections))
            {
                foreach (var connection in connections)
                {
                    connection.Enqueue(streamEvent);
                }
            }
        }
    }

    public void RequestCatchUp() => EnqueueEverywhere(StreamConnection.CatchUp);

    public void RequestHeartbeat() => EnqueueEverywhere(StreamConnection.Heartbeat);

    private void EnqueueEverywhere(StreamEvent marker)
    {
        foreach (var connection in byUser.Values.SelectMany(c => c))
        {
            connection.Enqueue(marker);
        }
    }

    public void CloseAll(string reason)
    {
        foreach (var connection in byUser.Values.SelectMany(c => c))
        {
            connection.Close(reason);
        }
    }
}
