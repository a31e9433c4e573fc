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
    /// On SQLite positions come from the single clock row, under the single writer: they follow commit order. On
    /// PostgreSQL they come from the transaction's own id (<see cref="StreamOrder"/>), which takes no lock at all.
    /// </summary>
    public static async Task<long> AppendAsync(DbSession db, IReadOnlyList<NewEvent> events, long now)
    {
        var first = db.Dialect == SqlDialect.Postgres
            ? await StreamOrder.NextPositionsAsync(db, events.Count)
            : await db.QuerySingleAsync<long>(
                "UPDATE stream_clock SET position = position + @count WHERE id = 1 RETURNING position", new { count = events.Count }) - events.Count + 1;
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

    /// <summary>On PostgreSQL the position is the horizon's: every event at or below it has committed or never will.</summary>
    public static Task<Clock> ClockAsync(DbSession db) =>
        db.QuerySingleRowAsync(
            db.Dialect == SqlDialect.Postgres
                ? $"SELECT {StreamOrder.Horizon} - 1, purged_through FROM stream_clock WHERE id = 1"
                : "SELECT position, purged_through FROM stream_clock WHERE id = 1",
            null, static r => new Clock(r.GetInt64(0), r.GetInt64(1)));

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
    /// rooms they are in, from when they joined. Only up to the horizon on PostgreSQL: past it, an event that commits
    /// late could still land below one already sent.
    /// </summary>
    public static Task<List<StoredEvent>> ReadAfterAsync(DbSession db, long userId, long after, int limit) =>
        db.QueryRowsAsync(
            $"""
            SELECT id, type, data FROM (
                SELECT e.id, e.type, e.data
                FROM stream_recipients r JOIN stream_events e ON e.id = r.event_id
                WHERE r.user_id = @userId AND r.event_id > @after{BelowHorizon(db, "r.event_id")}
                UNION ALL
                SELECT e.id, e.type, e.data
                FROM room_members m JOIN stream_events e ON e.room_id = m.room_id AND e.id > @after AND e.created_at >= m.joined_at
                WHERE m.user_id = @userId{BelowHorizon(db, "e.id")}
            ) AS missed
            ORDER BY id
            LIMIT @limit
            """,
            new { userId, after, limit },
            static r => new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetString(2)));

    /// <summary>A room event's recipients: the members who had joined by the time it was recorded (as on resume).</summary>
    public static Task<List<long>> RoomMembersAsync(DbSession db, long roomId, long createdAt) =>
        db.QueryIdsAsync("SELECT user_id FROM room_members WHERE room_id = @roomId AND joined_at <= @createdAt", new { roomId, createdAt });

    /// <summary>SQLite's positions follow commit order already: nothing to hold back.</summary>
    private static string BelowHorizon(DbSession db, string column) =>
        db.Dialect == SqlDialect.Postgres ? $" AND {column} < {StreamOrder.Horizon}" : "";

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
    /// <c>purged_through</c> past them; returns how many went. Never past the horizon: an event that has not yet
    /// committed must not find itself below <c>purged_through</c>.
    /// </summary>
    public static async Task<int> PurgeAsync(DbSession db, long olderThan, int batch)
    {
        var through = await db.ExecuteScalarAsync<long?>(
            $"SELECT MAX(id) FROM (SELECT id FROM stream_events WHERE created_at < @olderThan{BelowHorizon(db, "id")} ORDER BY created_at LIMIT @batch) AS oldest",
            new { olderThan, batch });
        if (through is not { } last)
        {
            return 0;
        }
        await db.ExecuteAsync("UPDATE stream_clock SET purged_through = @last WHERE id = 1 AND purged_through < @last", new { last });
        return await db.ExecuteAsync("DELETE FROM stream_events WHERE id <= @last", new { last });
    }
}
