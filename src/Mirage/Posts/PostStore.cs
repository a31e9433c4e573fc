using System.Data;
using Mirage.Data;

namespace Mirage.Posts;

/// <summary>SQL for <c>posts</c> and <c>post_hashtags</c>. Every list pages by id on an index, newest first.</summary>
public static class PostStore
{
    public const string Columns = """
        p.id, p.user_id, p.content, p.created_at, p.upvotes, p.downvotes, p.reply_count,
        u.username, u.avatar_url, u.first_name, u.last_name
        """;

    public const string From = "FROM posts p JOIN users u ON u.id = p.user_id";

    /// <summary>One row of <see cref="Columns"/>, in its order.</summary>
    public static PostRow ReadRow(IDataRecord r) => new()
    {
        Id = r.GetInt64(0),
        UserId = r.GetInt64(1),
        Content = r.GetString(2),
        CreatedAt = r.GetInt64(3),
        Upvotes = r.GetInt64(4),
        Downvotes = r.GetInt64(5),
        ReplyCount = r.GetInt64(6),
        Username = r.GetString(7),
        AvatarUrl = r.GetNullableString(8),
        FirstName = r.GetNullableString(9),
        LastName = r.GetNullableString(10),
    };

    public static Task<long> InsertAsync(DbSession db, long userId, string content, long now) =>
        db.QuerySingleAsync<long>(
            "INSERT INTO posts (user_id, content, created_at) VALUES (@userId, @content, @now) RETURNING id",
            new { userId, content, now });

    public static async Task InsertHashtagsAsync(DbSession db, long postId, IReadOnlyList<string> tags, long createdAt)
    {
        if (tags.Count > 0)
        {
            await db.ExecuteAsync(
                "INSERT INTO post_hashtags (post_id, tag, created_at) VALUES (@postId, @tag, @createdAt)",
                tags.Select(tag => new { postId, tag, createdAt }));
        }
    }

    /// <summary><c>stats.posts</c> counts posts and replies, as the original server did.</summary>
    public static Task AdjustPostsCountAsync(DbSession db, long userId, int delta) =>
        db.ExecuteAsync("UPDATE users SET posts_count = posts_count + @delta WHERE id = @userId", new { userId, delta });

    public static Task<long?> FindAuthorAsync(DbSession db, long postId) =>
        db.ExecuteScalarAsync<long?>("SELECT user_id FROM posts WHERE id = @postId", new { postId });

    public static Task<PostRow?> GetAsync(DbSession db, long id) =>
        db.QuerySingleRowOrDefaultAsync($"SELECT {Columns} {From} WHERE p.id = @id", new { id }, ReadRow);

    /// <summary>Many posts by id in one query, in no particular order.</summary>
    public static async Task<IReadOnlyList<PostRow>> GetManyAsync(DbSession db, IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var list = db.Dialect.Ids("@ids", ids);
        return await db.QueryRowsAsync($"SELECT {Columns} {From} WHERE p.id {list.In}", new { ids = list.Value }, ReadRow);
    }

    public static async Task<IReadOnlyList<PostRow>> ListByUserAsync(DbSession db, long userId, long beforeId, int limit) =>
        await db.QueryRowsAsync(
            $"SELECT {Columns} {From} WHERE p.user_id = @userId AND p.id < @beforeId ORDER BY p.id DESC LIMIT @limit",
            new { userId, beforeId, limit }, ReadRow);

    /// <summary>
    /// Posts of the users <paramref name="viewerId"/> follows and the viewer's own, newest first. Read per author
    /// along (user_id, id), from a floor: the newest <paramref name="limit"/> posts overall are never older than any
    /// one author's <paramref name="limit"/>-th newest. Left to itself, SQLite walked all posts from the newest down
    /// until enough matched: 80-145 ms at a million posts for someone who follows few or quiet users.
    /// </summary>
    public static async Task<IReadOnlyList<PostRow>> ListFeedAsync(DbSession db, long viewerId, long beforeId, int limit) =>
        await db.QueryRowsAsync(
            $"""
            WITH authors(id) AS (SELECT followee_id FROM follows WHERE follower_id = @viewerId UNION SELECT @viewerId),
            floor(id) AS (SELECT COALESCE(MAX((SELECT q.id FROM posts q WHERE q.user_id = a.id AND q.id < @beforeId
                                              ORDER BY q.id DESC LIMIT 1 OFFSET @limit - 1)), 0) FROM authors a)
            SELECT {Columns} FROM authors a CROSS JOIN posts p JOIN users u ON u.id = p.user_id
            WHERE p.user_id = a.id AND p.id < @beforeId AND p.id >= (SELECT id FROM floor)
            ORDER BY p.id DESC LIMIT @limit
            """,
            new { viewerId, beforeId, limit }, ReadRow);

    public static async Task<IReadOnlyList<PostRow>> ListByHashtagAsync(DbSession db, string tag, long beforeId, int limit) =>
        await db.QueryRowsAsync(
            $"""
            SELECT {Columns} {From}
            WHERE p.id IN (SELECT post_id FROM post_hashtags WHERE tag = @tag AND post_id < @beforeId ORDER BY post_id DESC LIMIT @limit)
            ORDER BY p.id DESC
            """,
            new { tag, beforeId, limit }, ReadRow);
}
