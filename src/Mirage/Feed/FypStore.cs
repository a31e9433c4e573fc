using Mirage.Data;

namespace Mirage.Feed;

/// <summary>
/// The For-You page's candidate queries. Post ids grow with time, so "recent" is an id range found once
/// through the created_at index, and every pool query is bounded by an index range and a LIMIT.
/// </summary>
public static class FypStore
{
    /// <summary>The id of the first post created at or after <paramref name="since"/>, or null when none is.</summary>
    public static Task<long?> FirstIdSinceAsync(DbSession db, long since) =>
        db.ExecuteScalarAsync<long?>("SELECT id FROM posts WHERE created_at >= @since ORDER BY created_at LIMIT 1", new { since });

    /// <summary>The lowest and highest post ids, (0, 0) when there are no posts.</summary>
    /// <remarks>Two subqueries: SQLite answers a lone MIN or MAX from the index, but scans it for both at once.</remarks>
    public static Task<(long Min, long Max)> IdRangeAsync(DbSession db) =>
        db.QuerySingleAsync<(long Min, long Max)>(
            "SELECT COALESCE((SELECT MIN(id) FROM posts), 0), COALESCE((SELECT MAX(id) FROM posts), 0)");

    /// <summary>
    /// The newest recent posts of the users the viewer follows, read per author from a floor as
    /// <see cref="Posts.PostStore.ListFeedAsync"/> reads the home feed (not by walking every recent post).
    /// </summary>
    public static async Task<IReadOnlyList<long>> FollowedAsync(DbSession db, long viewerId, long sinceId, int limit) =>
        await db.QueryIdsAsync(
            """
            WITH authors(id) AS (SELECT followee_id FROM follows WHERE follower_id = @viewerId),
            floor(id) AS (SELECT COALESCE(MAX((SELECT q.id FROM posts q WHERE q.user_id = a.id AND q.id >= @sinceId
                                              ORDER BY q.id DESC LIMIT 1 OFFSET @limit - 1)), @sinceId) FROM authors a)
            SELECT p.id FROM authors a CROSS JOIN posts p
            WHERE p.user_id = a.id AND p.id >= (SELECT id FROM floor)
            ORDER BY p.id DESC LIMIT @limit
            """,
            new { viewerId, sinceId, limit });

    /// <summary>The newest recent posts of everyone the viewer does not follow, never the viewer's own.</summary>
    public static async Task<IReadOnlyList<long>> GlobalAsync(DbSession db, long viewerId, long sinceId, int limit) =>
        await db.QueryIdsAsync(
            """
            SELECT p.id FROM posts p
            WHERE p.id >= @sinceId AND p.user_id <> @viewerId
              AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = @viewerId AND f.followee_id = p.user_id)
            ORDER BY p.id DESC LIMIT @limit
            """,
            new { viewerId, sinceId, limit });

    /// <summary>All archive posts (ids below <paramref name="sinceId"/>) up to a limit, for a small archive.</summary>
    public static async Task<IReadOnlyList<long>> ArchiveAsync(DbSession db, long viewerId, long sinceId, int limit) =>
        await db.QueryIdsAsync(
            "SELECT id FROM posts WHERE id < @sinceId AND user_id <> @viewerId ORDER BY id DESC LIMIT @limit",
            new { viewerId, sinceId, limit });

    /// <summary>
    /// Random archive posts: for each probe, the first post at or after that id. One index seek per probe,
    /// in one statement, instead of ORDER BY RANDOM() over the table.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ArchiveSampleAsync(DbSession db, long viewerId, long sinceId, IReadOnlyList<long> probes)
    {
        var ids = await db.QueryRowsAsync(
            $"""
            SELECT (SELECT p.id FROM posts p WHERE p.id >= v.value AND p.id < @sinceId AND p.user_id <> @viewerId
                    ORDER BY p.id LIMIT 1)
            FROM {db.Dialect.ListTable("@probes", "v")}
            """,
            new { viewerId, sinceId, probes = db.Dialect.IdArray(probes) },
            static r => r.GetNullableInt64(0));
        return ids.OfType<long>().Distinct().ToList();
    }
}
