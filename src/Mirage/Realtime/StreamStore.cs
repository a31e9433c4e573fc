using Mirage.Data;

namespace Mirage.Realtime;

/// <summary>SQL for the per-user event streams (see migration 0006_realtime).</summary>
public static class StreamStore
{
    public sealed record Head(long Seq, long ActiveUntil);

    public sealed class EntryRow
    {
        public long UserId { get; init; }
        public long Seq { get; init; }
        public string Type { get; init; } = "";
        public string Data { get; init; } = "";
    }

    /// <summary>
    /// Locks the stream heads of those <paramref name="userIds"/> whose streams are active, in user order, and
    /// returns them. Locking every recipient of a write up front, sorted, means concurrent writers on
    /// PostgreSQL queue up per user (sequence numbers follow commit order) and never deadlock.
    /// </summary>
    public static async Task<HashSet<long>> LockActiveAsync(DbSession db, IEnumerable<long> userIds, long now)
    {
        var ids = userIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }
        var active = await db.QueryIdsAsync(
            $"SELECT user_id FROM stream_heads WHERE user_id {db.Dialect.InList("@ids")} AND active_until > @now ORDER BY user_id{db.Dialect.ForUpdate}",
            new { ids = db.Dialect.IdArray(ids), now });
        return active.ToHashSet();
    }

    /// <summary>Records one event for users whose heads are locked, numbering it in each one's sequence.</summary>
    public static async Task<(long PayloadId, IReadOnlyList<(long UserId, long Seq)> Entries)> AppendAsync(
        DbSession db, IReadOnlyCollection<long> lockedUserIds, string type, string data, long now)
    {
        if (lockedUserIds.Count == 0)
        {
            return (0, []);
        }
        var ids = db.Dialect.IdArray(lockedUserIds);
        var payloadId = await db.QuerySingleAsync<long>(
            "INSERT INTO stream_payloads (type, data, created_at) VALUES (@type, @data, @now) RETURNING id", new { type, data, now });
        await db.ExecuteAsync($"UPDATE stream_heads SET seq = seq + 1 WHERE user_id {db.Dialect.InList("@ids")}", new { ids });
        var entries = await db.QueryAsync<(long UserId, long Seq)>(
            $"""
            INSERT INTO stream_entries (user_id, seq, payload_id)
            SELECT user_id, seq, @payloadId FROM stream_heads WHERE user_id {db.Dialect.InList("@ids")}
            RETURNING user_id, seq
            """,
            new { payloadId, ids });
        return (payloadId, entries.ToList());
    }

    /// <summary>Marks a user's stream active until <paramref name="activeUntil"/> and returns the head as it was.</summary>
    public static async Task<Head> ActivateAsync(DbSession db, long userId, long activeUntil)
    {
        var before = await db.QuerySingleOrDefaultAsync<Head>(
            "SELECT seq, active_until FROM stream_heads WHERE user_id = @userId", new { userId });
        await db.ExecuteAsync(
            """
            INSERT INTO stream_heads (user_id, seq, active_until) VALUES (@userId, 0, @activeUntil)
            ON CONFLICT (user_id) DO UPDATE SET active_until = CASE
                WHEN stream_heads.active_until > excluded.active_until THEN stream_heads.active_until ELSE excluded.active_until END
            """,
            new { userId, activeUntil });
        return before ?? new Head(0, 0);
    }

    public static Task<IEnumerable<EntryRow>> ReadAfterAsync(DbSession db, long userId, long afterSeq, int limit) =>
        db.QueryAsync<EntryRow>(
            """
            SELECT e.user_id, e.seq, p.type, p.data
            FROM stream_entries e JOIN stream_payloads p ON p.id = e.payload_id
            WHERE e.user_id = @userId AND e.seq > @afterSeq
            ORDER BY e.seq
            LIMIT @limit
            """,
            new { userId, afterSeq, limit });

    public static Task<IEnumerable<EntryRow>> ReadPayloadAsync(DbSession db, long payloadId, IReadOnlyCollection<long> userIds) =>
        db.QueryAsync<EntryRow>(
            $"""
            SELECT e.user_id, e.seq, p.type, p.data
            FROM stream_entries e JOIN stream_payloads p ON p.id = e.payload_id
            WHERE e.payload_id = @payloadId AND e.user_id {db.Dialect.InList("@ids")}
            """,
            new { payloadId, ids = db.Dialect.IdArray(userIds) });

    /// <summary>Keeps the streams of connected users active for another while (one statement per chunk).</summary>
    public static Task<int> ExtendAsync(DbSession db, IEnumerable<long> userIds, long activeUntil)
    {
        var ids = userIds.ToArray();
        return ids.Length == 0
            ? Task.FromResult(0)
            : db.ExecuteAsync(
                $"UPDATE stream_heads SET active_until = @activeUntil WHERE user_id {db.Dialect.InList("@ids")} AND active_until < @activeUntil",
                new { activeUntil, ids = db.Dialect.IdArray(ids) });
    }

    /// <summary>Deletes events older than the window, a bounded batch at a time; returns how many payloads went.</summary>
    public static Task<int> PurgeAsync(DbSession db, long olderThan, int batch) =>
        db.ExecuteAsync(
            "DELETE FROM stream_payloads WHERE id IN (SELECT id FROM stream_payloads WHERE created_at < @olderThan ORDER BY id LIMIT @batch)",
            new { olderThan, batch });
}
