using Mirage.Data;

namespace Mirage.Accounts;

/// <summary>SQL for <c>sessions</c>. Only SHA-256 hashes of tokens are stored.</summary>
public static class SessionStore
{
    public sealed class SessionRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
        public string Username { get; init; } = "";
        public long CreatedAt { get; init; }
        public long LastSeenAt { get; init; }
        public long ExpiresAt { get; init; }
    }

    public static Task<long> InsertAsync(DbSession db, long userId, string tokenHash, long now, long expiresAt) =>
        db.QuerySingleAsync<long>(
            """
            INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at)
            VALUES (@userId, @tokenHash, @now, @now, @expiresAt)
            RETURNING id
            """,
            new { userId, tokenHash, now, expiresAt });

    public static Task<SessionRow?> FindAsync(DbSession db, string tokenHash) =>
        db.QuerySingleOrDefaultAsync<SessionRow>(
            """
            SELECT s.id, s.user_id, u.username, s.created_at, s.last_seen_at, s.expires_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = @tokenHash
            """,
            new { tokenHash });

    public static Task TouchAsync(DbSession db, long sessionId, long now, long expiresAt) =>
        db.ExecuteAsync(
            "UPDATE sessions SET last_seen_at = @now, expires_at = @expiresAt WHERE id = @sessionId",
            new { sessionId, now, expiresAt });

    public static Task<int> DeleteByTokenHashAsync(DbSession db, string tokenHash) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE token_hash = @tokenHash", new { tokenHash });

    public static Task<int> DeleteOthersAsync(DbSession db, long userId, long keepSessionId) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE user_id = @userId AND id <> @keepSessionId", new { userId, keepSessionId });

    /// <summary>Which of <paramref name="sessionIds"/> still exist and have not expired.</summary>
    public static async Task<IReadOnlyList<long>> LiveAsync(DbSession db, IReadOnlyCollection<long> sessionIds, long now)
    {
        var ids = db.Dialect.Ids("@ids", sessionIds);
        return await db.QueryIdsAsync($"SELECT id FROM sessions WHERE id {ids.In} AND expires_at > @now", new { ids = ids.Value, now });
    }

    public static Task<int> DeleteExpiredAsync(DbSession db, long now) =>
        db.ExecuteAsync("DELETE FROM sessions WHERE expires_at <= @now", new { now });
}
