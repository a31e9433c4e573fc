using Mirage.Data;

namespace Mirage.Realtime;

/// <summary>SQL for the event streams (see migration 0007_stream_positions).</summary>
public static class StreamStore
{
    /// <summary>Where the stream stands: the last position handed out, and the one through which events may be gone.</summary>
    public sealed record Clock(long Position, long PurgedThrough);

    public sealed record StoredEvent(long Id, string Type, string Data);

    /// <summary>One event to record: for a room's members (<paramref name="RoomId"/>) or for listed users.</summary>
    public sealed record NewEvent(long? RoomId, long[] Recipients, string Type, string Data);

    /// <summary>Those of <paramref name="userIds"/> whose events are being recorded (connected, or within the resume window).</summary>
    public static async Task<HashSet<long>> ActiveAsync(DbSession db, IEnumerable<long> userIds, long now)
    {
        var ids = userIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }
        var list = db.Dialect.Ids("@ids", ids);
        var active = await db.QueryIdsAsync(
            $"SELECT user_id FROM stream_heads WHERE user_id {list.In} AND active_until > @now", new { ids = list.Value, now });
        return [.. active];
    }

    /// <summary>
    /// Records events at the next positions and returns the first one (the rest follow, one each, in order).
    /// Positions come from the single clock row: on PostgreSQL its row lock, held until this write commits, makes
    /// positions follow commit order on every node, which is what lets a client resume from "after position N".
    /// It is taken as the last step before the commit (events are flushed then), so it is held only that long.
    /// </summary>
    public static async Task<long> AppendAsync(DbSession db, IReadOnlyList<NewEvent> events, long now)
    {
        var last = await db.QuerySingleAsync<long>(
            "UPDATE stream_clock SET position = position + @count WHERE id = 1 RETURNING position", new { count = events.Count });
        var first = last - events.Count + 1;
        for (var i = 0; i < events.Count; i++)
        {
            var (roomId, recipients, type, data) = events[i];
            var id = first + i;
            await db.ExecuteAsync(
                "INSERT INTO stream_events (id, room_id, type, data, created_at) VALUES (@id, @roomId, @type, @data, @now)",
                new { id, roomId, type, data, now });
            if (roomId is null)
            {
                await db.ExecuteAsync(
                    $"INSERT INTO stream_recipients (user_id, event_id) SELECT r.value, @id FROM {db.Dialect.ListTable("@ids", "r")}",
                    new { id, ids = db.Dialect.IdArray(recipients) });
            }
        }
        return first;
    }

    public static Task<Clock> ClockAsync(DbSession db) =>
        db.QuerySingleRowAsync("SELECT position, purged_through FROM stream_clock WHERE id = 1", null,
            static r => new Clock(r.GetInt64(0), r.GetInt64(1)));

    /// <summary>Marks a user's stream active until <paramref name="activeUntil"/>; returns until when it was active before.</summary>
    public static async Task<long> ActivateAsync(DbSession db, long userId, long activeUntil)
    {
        var before = await db.QuerySingleOrDefaultAsync<long?>(
            "SELECT active_until FROM stream_heads WHERE user_id = @userId", new { userId });
        await db.ExecuteAsync(
            """
            INSERT INTO stream_heads (user_id, active_until) VALUES (@userId, @activeUntil)
            ON CONFLICT (user_id) DO UPDATE SET active_until = CASE
                WHEN stream_heads.active_until > excluded.active_until THEN stream_heads.active_until ELSE excluded.active_until END
            """,
            new { userId, activeUntil });
        return before ?? 0;
    }

    /// <summary>
    /// A user's events after position <paramref name="after"/>, in order: those addressed to them, and those of the
    /// rooms they are in, from when they joined.
    /// </summary>
    public static Task<List<StoredEvent>> ReadAfterAsync(DbSession db, long userId, long after, int limit) =>
        db.QueryRowsAsync(
            """
            SELECT id, type, data FROM (
                SELECT e.id, e.type, e.data
                FROM stream_recipients r JOIN stream_events e ON e.id = r.event_id
                WHERE r.user_id = @userId AND r.event_id > @after
                UNION ALL
                SELECT e.id, e.type, e.data
                FROM room_members m JOIN stream_events e ON e.room_id = m.room_id AND e.id > @after AND e.created_at >= m.joined_at
                WHERE m.user_id = @userId
            ) AS missed
            ORDER BY id
            LIMIT @limit
            """,
            new { userId, after, limit },
            static r => new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetString(2)));

    /// <summary>A room event's recipients: the members who had joined by the time it was recorded (as on resume).</summary>
    public static Task<List<long>> RoomMembersAsync(DbSession db, long roomId, long createdAt) =>
        db.QueryIdsAsync("SELECT user_id FROM room_members WHERE room_id = @roomId AND joined_at <= @createdAt", new { roomId, createdAt });

    /// <summary>
    /// A recorded event as a delivery (a node reading an event by reference): a room's event names its room, whose
    /// members <see cref="StreamDeliverer"/> looks up; any other lists those of <paramref name="userIds"/> it is for.
    /// </summary>
    public static async Task<StreamDelivery?> ReadForAsync(DbSession db, long eventId, IReadOnlyCollection<long> userIds)
    {
        var rows = await db.QueryRowsAsync(
            "SELECT id, type, data, room_id, created_at FROM stream_events WHERE id = @eventId", new { eventId },
            static r => (Event: new StreamEvent(r.GetInt64(0), r.GetString(1), r.GetString(2)), RoomId: r.IsDBNull(3) ? (long?)null : r.GetInt64(3), CreatedAt: r.GetInt64(4)));
        if (rows is not [var found])
        {
            return null;
        }
        if (found.RoomId is { } roomId)
        {
            return new StreamDelivery(found.Event, [], roomId, found.CreatedAt);
        }
        var users = db.Dialect.Ids("@ids", userIds);
        var recipients = await db.QueryIdsAsync(
            $"SELECT user_id FROM stream_recipients WHERE event_id = @eventId AND user_id {users.In}", new { eventId, ids = users.Value });
        return new StreamDelivery(found.Event, recipients);
    }

    /// <summary>Keeps the streams of connected users active for another while (one statement per chunk).</summary>
    public static Task<int> ExtendAsync(DbSession db, IEnumerable<long> userIds, long activeUntil)
    {
        var ids = userIds.ToArray();
        if (ids.Length == 0)
        {
            return Task.FromResult(0);
        }
        var list = db.Dialect.Ids("@ids", ids);
        return db.ExecuteAsync(
            $"UPDATE stream_heads SET active_until = @activeUntil WHERE user_id {list.In} AND active_until < @activeUntil",
            new { activeUntil, ids = list.Value });
    }

    /// <summary>
    /// Deletes a bounded batch of the events older than <paramref name="olderThan"/>, oldest first, and moves
    /// <c>purged_through</c> past them; returns how many went.
    /// </summary>
    public static async Task<int> PurgeAsync(DbSession db, long olderThan, int batch)
    {
        var through = await db.ExecuteScalarAsync<long?>(
            "SELECT MAX(id) FROM (SELECT id FROM stream_events WHERE created_at < @olderThan ORDER BY created_at LIMIT @batch) AS oldest",
            new { olderThan, batch });
        if (through is not { } last)
        {
            return 0;
        }
        await db.ExecuteAsync("UPDATE stream_clock SET purged_through = @last WHERE id = 1 AND purged_through < @last", new { last });
        return await db.ExecuteAsync("DELETE FROM stream_events WHERE id <= @last", new { last });
    }
}
