using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Files;

namespace Mirage.Rooms;

/// <summary>The rules for rooms and membership: creating, joining (with a password for private rooms), leaving, deleting, listing.</summary>
public sealed class RoomService(IDatabase database, PasswordHashing passwords, FileService files, TimeProvider clock)
{
    private const int DefaultPageSize = 20;
    private const int MaxPageSize = 50;

    // The hasher's user argument is unused by PBKDF2; room passwords have no user.

    public async Task<RoomRow> CreateAsync(CurrentUser user, string? name, bool? isPrivate, string? password)
    {
        var roomName = RoomRules.Name(name);
        var priv = isPrivate ?? false;
        var roomPassword = RoomRules.Password(priv, password);
        // Hashing is deliberately slow: do it before entering the (single) writer.
        var hash = roomPassword is null ? null : await passwords.HashAsync(roomPassword);
        try
        {
            return await database.WriteAsync(async db =>
            {
                if (await RoomStore.NameTakenAsync(db, roomName))
                {
                    throw RoomExists();
                }
                var id = await RoomStore.InsertAsync(db, roomName, priv, hash, user.Id, clock.NowMs());
                return (await RoomStore.FindAsync(db, id, user.Id))!;
            });
        }
        catch (Exception ex) when (database.Dialect.IsUniqueViolation(ex))
        {
            // Two creations raced on PostgreSQL; the unique name key decided.
            throw RoomExists();
        }
    }

    private static MirageException RoomExists() => MirageException.BadRequest("room already exists");

    /// <summary>Joins by name, as /api does (case-insensitive).</summary>
    public async Task<RoomRow> JoinByNameAsync(CurrentUser user, string? name, string? password)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw MirageException.BadRequest("missing room name or token");
        }
        var room = await database.ReadAsync(db => RoomStore.FindByNameAsync(db, name, user.Id)) ?? throw RoomNotFound();
        return await JoinAsync(user, room, password);
    }

    /// <summary>Joins by id, as /v1 does.</summary>
    public async Task<RoomRow> JoinAsync(CurrentUser user, long roomId, string? password)
    {
        var room = await database.ReadAsync(db => RoomStore.FindAsync(db, roomId, user.Id)) ?? throw RoomNotFound();
        return await JoinAsync(user, room, password);
    }

    /// <summary>Joining twice is harmless: a member gets in again without a password and without a second membership.</summary>
    private async Task<RoomRow> JoinAsync(CurrentUser user, RoomRow room, string? password)
    {
        if (room.IsPrivate && !room.Joined)
        {
            if (string.IsNullOrEmpty(password))
            {
                throw MirageException.Forbidden("password required");
            }
            if (!await passwords.MatchesAsync(room.PasswordHash ?? "", password))
            {
                throw MirageException.Forbidden("wrong password");
            }
        }
        return await database.WriteAsync(async db =>
        {
            await RoomStore.AddMemberAsync(db, room.Id, user.Id, clock.NowMs());
            return await RoomStore.FindAsync(db, room.Id, user.Id) ?? throw RoomNotFound();
        });
    }

    /// <summary>Members may leave; the owner may not (they delete the room instead), so a room always has its owner.</summary>
    public Task<RoomRow> LeaveAsync(CurrentUser user, long roomId) =>
        database.WriteAsync(async db =>
        {
            var room = await RoomStore.FindAsync(db, roomId, user.Id) ?? throw RoomNotFound();
            if (!room.Joined)
            {
                throw MirageException.Forbidden(RoomRules.NotAMember);
            }
            if (room.OwnerId == user.Id)
            {
                throw MirageException.BadRequest("the owner cannot leave the room; delete it instead");
            }
            await RoomStore.RemoveMemberAsync(db, roomId, user.Id);
            return room;
        });

    /// <summary>The owner deletes a room with its members, messages and uploads; files nothing else uses go too.</summary>
    public async Task<RoomRow> DeleteAsync(CurrentUser user, long roomId)
    {
        var (room, hashes) = await database.WriteAsync(async db =>
        {
            var room = await RoomStore.FindAsync(db, roomId, user.Id) ?? throw RoomNotFound();
            if (room.OwnerId != user.Id)
            {
                throw room.Joined || !room.IsPrivate
                    ? MirageException.Forbidden("only the owner can delete this room")
                    : MirageException.Forbidden(RoomRules.NotAMember);
            }
            var hashes = await FileStore.ReleaseRoomAsync(db, roomId, clock.NowMs());
            await RoomStore.DeleteAsync(db, roomId);
            return (room, hashes);
        });
        // A separate write: if it never happens (a crash), the janitor finds the released blobs later.
        await files.PurgeAsync(hashes);
        return room;
    }

    /// <summary>A room its reader may see: public, or private with them in it.</summary>
    public async Task<RoomRow> GetAsync(CurrentUser user, long roomId)
    {
        var room = await database.ReadAsync(db => RoomStore.FindAsync(db, roomId, user.Id)) ?? throw RoomNotFound();
        return room.IsPrivate && !room.Joined ? throw MirageException.Forbidden(RoomRules.NotAMember) : room;
    }

    /// <summary>Members of a public room, or of a private room the reader is in.</summary>
    public Task<IReadOnlyList<UserRow>> MembersAsync(CurrentUser user, long roomId) =>
        database.ReadAsync(async db =>
        {
            var room = await RoomStore.FindAsync(db, roomId, user.Id) ?? throw RoomNotFound();
            if (room.IsPrivate && !room.Joined)
            {
                throw MirageException.Forbidden(RoomRules.NotAMember);
            }
            return await RoomStore.MembersAsync(db, roomId);
        });

    public Task<IReadOnlyList<RoomRow>> ListPublicAsync(CurrentUser user) => database.ReadAsync(db => RoomStore.ListPublicAsync(db, user.Id));

    public Task<IReadOnlyList<RoomRow>> ListJoinedAsync(CurrentUser user) => database.ReadAsync(db => RoomStore.ListJoinedAsync(db, user.Id));

    /// <summary>A page of the rooms the user can see (or only those they joined), by id.</summary>
    public async Task<RoomPage> ListVisibleAsync(CurrentUser user, bool joinedOnly, int? limit, string? cursor)
    {
        var size = PageSize.Clamp(limit, DefaultPageSize, MaxPageSize);
        var after = Cursor.Decode(cursor, 1)?[0] ?? 0;
        var rows = await database.ReadAsync(db => RoomStore.ListVisibleAsync(db, user.Id, joinedOnly, after, size + 1));
        return rows.Count > size
            ? new RoomPage(rows.Take(size).ToList(), Cursor.Encode(rows[size - 1].Id))
            : new RoomPage(rows, null);
    }

    /// <summary>
    /// The room a member acts in: 404 when it does not exist, 403 (with <paramref name="refusal"/>) when they are not in it.
    /// </summary>
    public static async Task<RoomRow> RequireMemberAsync(DbSession db, long roomId, long userId, string refusal = RoomRules.NotAMember)
    {
        var room = await RoomStore.FindAsync(db, roomId, userId) ?? throw RoomNotFound();
        return room.Joined ? room : throw MirageException.Forbidden(refusal);
    }

    public static MirageException RoomNotFound() => MirageException.NotFound("room not found");
}
