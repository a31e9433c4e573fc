using Mirage.Data;

namespace Mirage.Hosting.Idempotency;

/// <summary>SQL for <c>idempotency_keys</c>.</summary>
public static class IdempotencyStore
{
    public sealed class KeyRow
    {
        public string Request { get; init; } = "";
        public int Status { get; init; }
        public string? Body { get; init; }
        public string? Location { get; init; }
    }

    /// <summary>Reserves the key for this request; null when reserved, else the row that already holds it.</summary>
    public static async Task<KeyRow?> ReserveAsync(DbSession db, long userId, string key, string request, long now, long expiredBefore)
    {
        await db.ExecuteAsync(
            "DELETE FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key AND created_at < @expiredBefore",
            new { userId, key, expiredBefore });
        var inserted = await db.ExecuteAsync(
            """
            INSERT INTO idempotency_keys (user_id, idem_key, request, status, created_at)
            VALUES (@userId, @key, @request, 0, @now)
            ON CONFLICT (user_id, idem_key) DO NOTHING
            """,
            new { userId, key, request, now });
        return inserted == 1
            ? null
            : await db.QuerySingleOrDefaultAsync<KeyRow>(
                "SELECT request, status, body, location FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key",
                new { userId, key });
    }

    public static Task<int> CompleteAsync(DbSession db, long userId, string key, int status, string body, string? location) =>
        db.ExecuteAsync(
            "UPDATE idempotency_keys SET status = @status, body = @body, location = @location WHERE user_id = @userId AND idem_key = @key",
            new { userId, key, status, body, location });

    public static Task<int> ReleaseAsync(DbSession db, long userId, string key) =>
        db.ExecuteAsync("DELETE FROM idempotency_keys WHERE user_id = @userId AND idem_key = @key AND status = 0", new { userId, key });

    public static Task<int> PurgeAsync(DbSession db, long expiredBefore) =>
        db.ExecuteAsync("DELETE FROM idempotency_keys WHERE created_at < @expiredBefore", new { expiredBefore });
}
