using Dapper;
using Mirage.Data;

namespace Mirage.Files;

/// <summary>An upload and its blob's size and type, as served.</summary>
public sealed class UploadRow
{
    public long Id { get; init; }
    public string PublicId { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long RoomId { get; init; }
    public long UserId { get; init; }
    public string Name { get; init; } = "";
    public long CreatedAt { get; init; }
    public long Size { get; init; }
    public string ContentType { get; init; } = "";
}

/// <summary>SQL for <c>file_blobs</c> and <c>uploads</c>.</summary>
public static class FileStore
{
    private const string Columns = "u.id, u.public_id, u.sha256, u.room_id, u.user_id, u.name, u.created_at, b.size, b.content_type";

    /// <summary>
    /// Records an upload of a blob. The upsert clears a pending release and, on PostgreSQL, locks the blob row
    /// until commit, so a concurrent purge either sees this upload or finishes before it.
    /// </summary>
    public static async Task<UploadRow> InsertAsync(DbSession db, StagedFile file, string publicId, string name, long roomId, long userId, long now)
    {
        await db.ExecuteAsync(
            """
            INSERT INTO file_blobs (sha256, size, content_type, created_at) VALUES (@Sha256, @Size, @contentType, @now)
            ON CONFLICT (sha256) DO UPDATE SET released_at = NULL
            """,
            new { file.Sha256, file.Size, contentType = file.Kind.ContentType, now });
        var id = await db.QuerySingleAsync<long>(
            """
            INSERT INTO uploads (public_id, sha256, room_id, user_id, name, created_at)
            VALUES (@publicId, @Sha256, @roomId, @userId, @name, @now)
            RETURNING id
            """,
            new { publicId, file.Sha256, roomId, userId, name, now });
        return await db.QuerySingleAsync<UploadRow>(
            $"SELECT {Columns} FROM uploads u JOIN file_blobs b ON b.sha256 = u.sha256 WHERE u.id = @id", new { id });
    }

    public static Task<UploadRow?> FindAsync(DbSession db, string publicId) =>
        db.QuerySingleOrDefaultAsync<UploadRow>(
            $"SELECT {Columns} FROM uploads u JOIN file_blobs b ON b.sha256 = u.sha256 WHERE u.public_id = @publicId",
            new { publicId });

    /// <summary>
    /// Marks the blobs of a room's uploads as released, before the room's deletion cascades to the uploads; returns
    /// their hashes for <see cref="DeleteUnreferencedAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReleaseRoomAsync(DbSession db, long roomId, long now) =>
        (await db.QueryAsync<string>(
            """
            UPDATE file_blobs SET released_at = @now
            WHERE sha256 IN (SELECT sha256 FROM uploads WHERE room_id = @roomId)
            RETURNING sha256
            """,
            new { roomId, now })).AsList();

    /// <summary>
    /// Deletes released blobs among <paramref name="hashes"/> that no upload refers to; returns the deleted hashes.
    /// On PostgreSQL a concurrent upsert that cleared released_at makes the row fail the re-checked condition.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DeleteUnreferencedAsync(DbSession db, IReadOnlyList<string> hashes)
    {
        if (hashes.Count == 0)
        {
            return [];
        }
        var list = db.Dialect.Texts("@hashes", hashes);
        return (await db.QueryAsync<string>(
            $"""
            DELETE FROM file_blobs
            WHERE sha256 {list.In} AND released_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = file_blobs.sha256)
            RETURNING sha256
            """,
            new { hashes = list.Value })).AsList();
    }

    /// <summary>A batch of released blobs after <paramref name="afterSha256"/>, for the janitor's pass.</summary>
    public static async Task<IReadOnlyList<string>> ReleasedAsync(DbSession db, string afterSha256, int limit) =>
        (await db.QueryAsync<string>(
            "SELECT sha256 FROM file_blobs WHERE released_at IS NOT NULL AND sha256 > @afterSha256 ORDER BY sha256 LIMIT @limit",
            new { afterSha256, limit })).AsList();
}
