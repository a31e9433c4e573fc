using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Data;
using Mirage.Hosting;

namespace Mirage.Accounts;

/// <summary>
/// Session tokens: random UUID-shaped strings handed to the client once; the database keeps only their
/// SHA-256. Expiry slides with use; a user may hold many sessions; logout revokes one.
/// </summary>
public sealed class SessionService(IDatabase database, TimeProvider clock, IOptions<MirageOptions> options)
{
    // With several nodes a revocation on one could not reach another's cache, so only one node caches.
    private readonly SessionCache? cache = database is SqliteDatabase ? new SessionCache() : null;

    // Sliding expiry is written at most this often per session, so reads do not turn into writes.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private TimeSpan Lifetime => options.Value.Auth.TokenLifetime;

    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim().ToLowerInvariant())));

    /// <summary>Creates a session inside the caller's write and returns the token.</summary>
    public async Task<string> IssueAsync(DbSession db, long userId)
    {
        var token = Guid.NewGuid().ToString();
        var now = clock.NowMs();
        await SessionStore.InsertAsync(db, userId, HashToken(token), now, now + (long)Lifetime.TotalMilliseconds);
        return token;
    }

    /// <summary>The user a token belongs to, or null when it is unknown, revoked or expired.</summary>
    public async Task<CurrentUser?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 256)
        {
            return null;
        }
        var hash = HashToken(token);
        var session = cache?.Get(hash) ?? await ReadAsync(hash, cancellationToken);
        var now = clock.NowMs();
        if (session is null || session.ExpiresAt <= now)
        {
            cache?.Forget(hash);
            return null;
        }
        if (now - session.LastSeenAt >= TouchInterval.TotalMilliseconds)
        {
            var expiresAt = now + (long)Lifetime.TotalMilliseconds;
            await database.WriteAsync(async db =>
            {
                await SessionStore.TouchAsync(db, session.User.SessionId, now, expiresAt);
                return true;
            }, cancellationToken);
            session = session with { ExpiresAt = expiresAt, LastSeenAt = now };
        }
        cache?.Set(hash, session);
        return session.User;
    }

    private async Task<SessionCache.Entry?> ReadAsync(string hash, CancellationToken cancellationToken)
    {
        var readAt = SessionCache.Timestamp();
        var row = await database.ReadAsync(db => SessionStore.FindAsync(db, hash), cancellationToken);
        return row is null
            ? null
            : new SessionCache.Entry(new CurrentUser(row.UserId, row.Username, row.Id, row.CreatedAt), row.ExpiresAt, row.LastSeenAt, readAt);
    }

    /// <summary>Call after a write that deleted a user's other sessions has committed.</summary>
    public void ForgetOtherSessions(long userId, long keepSessionId) => cache?.ForgetUser(userId, keepSessionId);

    /// <summary>Revokes the session of <paramref name="token"/>; false when there was none.</summary>
    public async Task<bool> RevokeAsync(string token)
    {
        var hash = HashToken(token);
        var deleted = await database.WriteAsync(db => SessionStore.DeleteByTokenHashAsync(db, hash));
        cache?.Forget(hash);
        return deleted > 0;
    }

    /// <summary>Which of these sessions are still valid (not revoked, not expired), straight from the database.</summary>
    public async Task<IReadOnlySet<long>> LiveAsync(IReadOnlyCollection<long> sessionIds, CancellationToken cancellationToken)
    {
        var now = clock.NowMs();
        var live = new HashSet<long>();
        foreach (var chunk in sessionIds.Chunk(500))
        {
            live.UnionWith(await database.ReadAsync(db => SessionStore.LiveAsync(db, chunk, now), cancellationToken));
        }
        return live;
    }

    public bool IsRecent(CurrentUser user) =>
        clock.NowMs() - user.SessionCreatedAt < RecentLoginWindow.TotalMilliseconds;

    /// <summary><c>Mirage:Auth:RecentLoginWindow</c>: how young a session must be to skip current_password.</summary>
    public TimeSpan RecentLoginWindow => options.Value.Auth.RecentLoginWindow;

    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(db => SessionStore.DeleteExpiredAsync(db, clock.NowMs()), cancellationToken);
}
