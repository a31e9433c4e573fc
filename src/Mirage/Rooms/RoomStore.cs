using System.Data;
using Dapper;
using Mirage.Accounts;
using Mirage.Data;

namespace Mirage.Rooms;

/// <summary>SQL for <c>rooms</c> and <c>room_members</c>. Queries that take a user id also say whether they joined.</summary>
public static class RoomStore
{
    private const string Columns = """
        r.id, r.name, r.is_private, r.password_hash, r.owner_id, r.members_count, r.last_seq, r.created_at,
        EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.user_id = @userId) AS joined
        """;

    /// <summary>One row of <see cref="Columns"/>, in its order.</summary>
    private static RoomRow ReadRow(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        Name = r.GetString(1),
        IsPrivate = r.GetBoolean(2),
        PasswordHash = r.GetNullableString(3),
        OwnerId = r.GetInt64(4),
        MembersCount = r.GetInt64(5),
        LastSeq = r.GetInt64(6),
        CreatedAt = r.GetInt64(7),
        Joined = r.GetBoolean(8),
    };

    public static Task<RoomRow?> FindAsync(DbSession db, long roomId, long userId) =>
        db.QuerySingleRowOrDefaultAsync($"SELECT {Columns} FROM rooms r WHERE r.id = @roomId", new { roomId, userId }, ReadRow);

    public static Task<RoomRow?> FindByNameAsync(DbSession db, string name, long userId) =>
        db.QuerySingleRowOrDefaultAsync(
            $"SELECT {Columns} FROM rooms r WHERE r.name_key = @key", new { key = AccountRules.Key(name), userId }, ReadRow);

    public static Task<bool> NameTakenAsync(DbSession db, string name) =>
        db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM rooms WHERE name_key = @key)", new { key = AccountRules.Key(name) });

    /// <summary>Creates a room with its owner as the first member; returns the new id.</summary>
    public static async Task<long> InsertAsync(DbSession db, string name, bool isPrivate, string? passwordHash, long ownerId, long now)
    {
        var roomId = await db.QuerySingleAsync<long>(
            """
            INSERT INTO rooms (name, name_key, is_private, password_hash, owner_id, members_count, created_at)
            VALUES (@name, @key, @isPrivate, @passwordHash, @ownerId, 1, @now)
            RETURNING id
            """,
            new { name, key = AccountRules.Key(name), isPrivate, passwordHash, ownerId, now });
        await db.ExecuteAsync(
            "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (@roomId, @ownerId, @now)", new { roomId, ownerId, now });
        return roomId;
    }

    /// <summary>Adds a member unless they already are one (or the room is gone); true when a membership was created.</summary>
    public static async Task<bool> AddMemberAsync(DbSession db, long roomId, long userId, long now)
    {
        var added = await db.QueryFirstOrDefaultAsync<long?>(
            """
            INSERT INTO room_members (room_id, user_id, joined_at)
            SELECT @roomId, @userId, @now WHERE EXISTS (SELECT 1 FROM rooms WHERE id = @roomId)
            ON CONFLICT (room_id, user_id) DO NOTHING
            RETURNING user_id
            """,
            new { roomId, userId, now });
        if (added is null)
        {
            return false;
        }
        await db.ExecuteAsync("UPDATE rooms SET members_count = members_count + 1 WHERE id = @roomId", new { roomId });
        return true;
    }

    public static async Task<bool> RemoveMemberAsync(DbSession db, long roomId, long userId)
    {
        var removed = await db.ExecuteAsync(
            "DELETE FROM room_members WHERE room_id = @roomId AND user_id = @userId", new { roomId, userId });
        if (removed == 0)
        {
            return false;
        }
        await db.ExecuteAsync("UPDATE rooms SET members_count = members_count - 1 WHERE id = @roomId", new { roomId });
        return true;
    }

    /// <summary>Deletes a room; members, messages and uploads go with it (ON DELETE CASCADE).</summary>
    public static async Task<bool> DeleteAsync(DbSession db, long roomId) =>
        await db.ExecuteAsync("DELETE FROM rooms WHERE id = @roomId", new { roomId }) > 0;

    /// <summary>Every public room, oldest first (the /api list the original client shows in full).</summary>
    public static async Task<IReadOnlyList<RoomRow>> ListPublicAsync(DbSession db, long userId) =>
        await db.QueryRowsAsync($"SELECT {Columns} FROM rooms r WHERE NOT r.is_private ORDER BY r.id", new { userId }, ReadRow);

    /// <summary>The rooms a user is a member of, public and private, oldest first.</summary>
    public static async Task<IReadOnlyList<RoomRow>> ListJoinedAsync(DbSession db, long userId) =>
        await db.QueryRowsAsync(
            $"""
            SELECT {Columns} FROM room_members rm JOIN rooms r ON r.id = rm.room_id
            WHERE rm.user_id = @userId ORDER BY r.id
            """,
            new { userId }, ReadRow);

    /// <summary>
    /// A page of the rooms a user can see (public ones and those they are in), by id after <paramref name="afterId"/>.
    /// </summary>
    public static async Task<IReadOnlyList<RoomRow>> ListVisibleAsync(DbSession db, long userId, bool joinedOnly, long afterId, int limit)
    {
        var visible = joinedOnly
            ? "r.id IN (SELECT rm.room_id FROM room_members rm WHERE rm.user_id = @userId)"
            : "(NOT r.is_private OR r.id IN (SELECT rm.room_id FROM room_members rm WHERE rm.user_id = @userId))";
        return await db.QueryRowsAsync(
            $"SELECT {Columns} FROM rooms r WHERE r.id > @afterId AND {visible} ORDER BY r.id LIMIT @limit",
            new { userId, afterId, limit }, ReadRow);
    }

    /// <summary>A room's members with their profile fields, in the order they joined.</summary>
    public static async Task<IReadOnlyList<UserRow>> MembersAsync(DbSession db, long roomId) =>
        (await db.QueryAsync<UserRow>(
            """
            SELECT u.id, u.username, u.first_name, u.last_name, u.avatar_url
            FROM room_members m JOIN users u ON u.id = m.user_id
            WHERE m.room_id = @roomId ORDER BY m.joined_at, u.id
            """,
            new { roomId })).AsList();
}
