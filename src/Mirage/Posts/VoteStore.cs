using Mirage.Data;

namespace Mirage.Posts;

/// <summary>
/// SQL for <c>post_votes</c> and the vote counters. Each statement is a single atomic step, so concurrent votes
/// on PostgreSQL (READ COMMITTED) never lose or double an increment.
/// </summary>
public static class VoteStore
{
    /// <summary>Turns an existing opposite vote into <paramref name="value"/>; false when there is none to turn.</summary>
    public static async Task<bool> SwitchAsync(DbSession db, long postId, long userId, int value, long now) =>
        await db.ExecuteAsync(
            "UPDATE post_votes SET value = @value, created_at = @now WHERE post_id = @postId AND user_id = @userId AND value <> @value",
            new { postId, userId, value, now }) == 1;

    /// <summary>Records a first vote; false when the user already has one on the post.</summary>
    public static async Task<bool> InsertAsync(DbSession db, long postId, long userId, int value, long now) =>
        await db.ExecuteAsync(
            """
            INSERT INTO post_votes (post_id, user_id, value, created_at) VALUES (@postId, @userId, @value, @now)
            ON CONFLICT (post_id, user_id) DO NOTHING
            """,
            new { postId, userId, value, now }) == 1;

    /// <summary>The user's votes (1 or -1) on the given posts; posts without one are absent.</summary>
    public static async Task<Dictionary<long, int>> OfUserAsync(DbSession db, long userId, IReadOnlyCollection<long> postIds)
    {
        if (postIds.Count == 0)
        {
            return [];
        }
        var posts = db.Dialect.Ids("@postIds", postIds);
        var rows = await db.QueryAsync<(long PostId, long Value)>(
            $"SELECT post_id, value FROM post_votes WHERE user_id = @userId AND post_id {posts.In}", new { userId, postIds = posts.Value });
        return rows.ToDictionary(r => r.PostId, r => (int)r.Value);
    }

    /// <summary>Deletes the user's vote and returns its value (1 or -1), or null when there was none.</summary>
    public static async Task<int?> DeleteAsync(DbSession db, long postId, long userId) =>
        (int?)await db.ExecuteScalarAsync<long?>(
            "DELETE FROM post_votes WHERE post_id = @postId AND user_id = @userId RETURNING value", new { postId, userId });

    /// <summary>Moves the post's counters and its author's profile counters together (post row first, always).</summary>
    public static async Task AdjustCountsAsync(DbSession db, long postId, long authorId, int up, int down)
    {
        await db.ExecuteAsync(
            "UPDATE posts SET upvotes = upvotes + @up, downvotes = downvotes + @down WHERE id = @postId", new { postId, up, down });
        await db.ExecuteAsync(
            "UPDATE users SET upvotes = upvotes + @up, downvotes = downvotes + @down WHERE id = @authorId", new { authorId, up, down });
    }
}
