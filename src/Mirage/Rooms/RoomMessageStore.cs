using System.Data;
using Mirage.Data;

namespace Mirage.Rooms;

/// <summary>
/// SQL for <c>room_messages</c>. Every read applies retention and the per-room cap in the same statement, so an
/// expired or over-cap message is never returned, whether or not the sweeper has deleted it yet.
/// </summary>
public static class RoomMessageStore
{
    private const string Columns = """
        m.id, m.room_id, m.seq, m.user_id, m.content, m.created_at, u.username, u.first_name, u.last_name, u.avatar_url
        """;

    /// <summary>One row of <see cref="Columns"/>, in its order.</summary>
    private static RoomMessageRow ReadRow(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        RoomId = r.GetInt64(1),
        Seq = r.GetInt64(2),
        UserId = r.GetInt64(3),
        Content = r.GetString(4),
        CreatedAt = r.GetInt64(5),
        Username = r.GetString(6),
        FirstName = r.GetNullableString(7),
        LastName = r.GetNullableString(8),
        AvatarUrl = r.GetNullableString(9),
    };

    /// <summary>Which messages a read wants. Without <see cref="SinceMs"/> it returns the newest ones.</summary>
    public sealed record Query(long RoomId, long CutoffMs, int Cap, int Limit, long? SinceMs = null, long? BeforeSeq = null);

    /// <summary>
    /// Appends a message when <paramref name="userId"/> is a member; null when the room is gone or they are not in it.
    /// Bumping <c>rooms.last_seq</c> locks the room row, so a room's messages commit in sequence order.
    /// </summary>
    public static async Task<RoomMessageRow?> AppendAsync(DbSession db, long roomId, long userId, string content, long now)
    {
        var seq = await db.QuerySingleOrDefaultAsync<long?>(
            """
            UPDATE rooms SET last_seq = last_seq + 1
            WHERE id = @roomId AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = @roomId AND m.user_id = @userId)
            RETURNING last_seq
            """,
            new { roomId, userId });
        if (seq is null)
        {
            return null;
        }
        // SQLite stores a room's messages together (migration 0009), numbered by room_message_ids.
        var id = await SqliteIdCounter.NextAsync(db, "UPDATE room_message_ids SET last = last + 1 WHERE id = 1 RETURNING last");
        await db.ExecuteAsync(
            $"""
            INSERT INTO room_messages ({(id is null ? "" : "id, ")}room_id, seq, user_id, content, created_at)
            VALUES ({(id is null ? "" : "@id, ")}@roomId, @seq, @userId, @content, @now)
            """,
            new { id, roomId, seq, userId, content, now });
        return await db.QuerySingleRowAsync(
            $"SELECT {Columns} FROM room_messages m JOIN users u ON u.id = m.user_id WHERE m.room_id = @roomId AND m.seq = @seq",
            new { roomId, seq }, ReadRow);
    }

    /// <summary>Visible messages of a room, oldest first.</summary>
    public static async Task<IReadOnlyList<RoomMessageRow>> ListAsync(DbSession db, Query query)
    {
        // With since, a poller wants what follows it, oldest first; otherwise the newest page, reversed below.
        var ascending = query.SinceMs is not null;
        var rows = await db.QueryRowsAsync(
            $"""
            SELECT {Columns} FROM room_messages m JOIN users u ON u.id = m.user_id
            WHERE m.room_id = @RoomId
              AND m.created_at > @CutoffMs
              AND m.seq > (SELECT r.last_seq FROM rooms r WHERE r.id = @RoomId) - @Cap
              {(query.SinceMs is null ? "" : "AND m.created_at > @SinceMs")}
              {(query.BeforeSeq is null ? "" : "AND m.seq < @BeforeSeq")}
            ORDER BY m.seq {(ascending ? "ASC" : "DESC")}
            LIMIT @Limit
            """,
            query, ReadRow);
        if (!ascending)
        {
            rows.Reverse();
        }
        return rows;
    }

    /// <summary>Deletes up to <paramref name="batch"/> messages older than the retention cutoff.</summary>
    public static Task<int> DeleteExpiredAsync(DbSession db, long cutoffMs, int batch) =>
        db.ExecuteAsync(
            """
            DELETE FROM room_messages WHERE (room_id, seq) IN (
                SELECT room_id, seq FROM room_messages WHERE created_at <= @cutoffMs LIMIT @batch)
            """,
            new { cutoffMs, batch });

    /// <summary>
    /// Deletes up to <paramref name="batch"/> messages that fell out of their room's newest <paramref name="cap"/>:
    /// room by room along each one's key (CROSS JOIN keeps that order on SQLite), not by reading every room message
    /// there is, which held the writer for 11 ms a minute at 100,000 room messages even with nothing to delete.
    /// </summary>
    public static Task<int> DeleteOverCapAsync(DbSession db, int cap, int batch) =>
        db.ExecuteAsync(
            """
            DELETE FROM room_messages WHERE (room_id, seq) IN (
                SELECT m.room_id, m.seq FROM rooms r CROSS JOIN room_messages m
                WHERE m.room_id = r.id AND m.seq <= r.last_seq - @cap
                LIMIT @batch)
            """,
            new { cap, batch });
}
