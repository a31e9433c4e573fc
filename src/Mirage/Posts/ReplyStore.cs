using Mirage.Data;

namespace Mirage.Posts;

/// <summary>SQL for <c>replies</c>: oldest first within a post, paged by id.</summary>
public static class ReplyStore
{
    private const string Columns = """
        r.id, r.post_id, r.user_id, r.content, r.created_at, u.username, u.avatar_url, u.first_name, u.last_name
        """;

    public static Task<long> InsertAsync(DbSession db, long postId, long userId, string content, long now) =>
        db.QuerySingleAsync<long>(
            "INSERT INTO replies (post_id, user_id, content, created_at) VALUES (@postId, @userId, @content, @now) RETURNING id",
            new { postId, userId, content, now });

    public static Task IncrementReplyCountAsync(DbSession db, long postId) =>
        db.ExecuteAsync("UPDATE posts SET reply_count = reply_count + 1 WHERE id = @postId", new { postId });

    public static Task<ReplyRow?> GetAsync(DbSession db, long id) =>
        db.QuerySingleOrDefaultAsync<ReplyRow>(
            $"SELECT {Columns} FROM replies r JOIN users u ON u.id = r.user_id WHERE r.id = @id", new { id });

    public static async Task<IReadOnlyList<ReplyRow>> ListAsync(DbSession db, long postId, long afterId, int limit) =>
        (await db.QueryAsync<ReplyRow>(
            $"""
            SELECT {Columns} FROM replies r JOIN users u ON u.id = r.user_id
            WHERE r.post_id = @postId AND r.id > @afterId ORDER BY r.id LIMIT @limit
            """,
            new { postId, afterId, limit })).ToList();
}
