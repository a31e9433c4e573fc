using Mirage.Data;

namespace Mirage.Social;

/// <summary>SQL for <c>follows</c> and the follower/following counters on <c>users</c>.</summary>
public static class FollowStore
{
    /// <summary>Inserts the follow; false when it already exists (the primary key decides, also under races).</summary>
    public static async Task<bool> InsertAsync(DbSession db, long followerId, long followeeId, long now) =>
        await db.ExecuteAsync(
            """
            INSERT INTO follows (follower_id, followee_id, created_at) VALUES (@followerId, @followeeId, @now)
            ON CONFLICT (follower_id, followee_id) DO NOTHING
            """,
            new { followerId, followeeId, now }) == 1;

    public static async Task<bool> DeleteAsync(DbSession db, long followerId, long followeeId) =>
        await db.ExecuteAsync(
            "DELETE FROM follows WHERE follower_id = @followerId AND followee_id = @followeeId", new { followerId, followeeId }) == 1;

    public static async Task<bool> ExistsAsync(DbSession db, long followerId, long followeeId) =>
        await db.ExecuteScalarAsync<long?>(
            "SELECT 1 FROM follows WHERE follower_id = @followerId AND followee_id = @followeeId", new { followerId, followeeId }) is not null;

    /// <summary>
    /// Moves both users' counters by <paramref name="delta"/>. The rows are updated in id order, so two users
    /// following each other at the same moment cannot deadlock on PostgreSQL.
    /// </summary>
    public static async Task AdjustCountsAsync(DbSession db, long followerId, long followeeId, int delta)
    {
        const string following = "UPDATE users SET following_count = following_count + @delta WHERE id = @id";
        const string followers = "UPDATE users SET followers_count = followers_count + @delta WHERE id = @id";
        var (first, second) = followerId < followeeId
            ? ((following, followerId), (followers, followeeId))
            : ((followers, followeeId), (following, followerId));
        await db.ExecuteAsync(first.Item1, new { delta, id = first.Item2 });
        await db.ExecuteAsync(second.Item1, new { delta, id = second.Item2 });
    }

    public static Task<IEnumerable<FollowRow>> ListFollowersAsync(DbSession db, long userId, int limit) =>
        db.QueryAsync<FollowRow>(
            """
            SELECT u.username, u.avatar_url FROM follows f JOIN users u ON u.id = f.follower_id
            WHERE f.followee_id = @userId ORDER BY f.created_at DESC, f.follower_id DESC LIMIT @limit
            """,
            new { userId, limit });

    public static Task<IEnumerable<FollowRow>> ListFollowingAsync(DbSession db, long userId, int limit) =>
        db.QueryAsync<FollowRow>(
            """
            SELECT u.username, u.avatar_url FROM follows f JOIN users u ON u.id = f.followee_id
            WHERE f.follower_id = @userId ORDER BY f.created_at DESC, f.followee_id DESC LIMIT @limit
            """,
            new { userId, limit });
}
