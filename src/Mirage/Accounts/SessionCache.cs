using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mirage.Accounts;

/// <summary>
/// Recently seen sessions, so an authenticated request does not cost a database read. Only used with one node
/// (SQLite): revocations on this node take effect at once, and a read that raced with a revocation is never
/// cached (each entry remembers when it was read; a later revocation of its token or user wins).
/// </summary>
public sealed class SessionCache
{
    private const int MaxEntries = 100_000;
    private static readonly long TimeToLive = Stopwatch.Frequency * 300;

    public sealed record Entry(CurrentUser User, long ExpiresAt, long LastSeenAt, long ReadAt);

    private readonly ConcurrentDictionary<string, Entry> entries = new();
    private readonly ConcurrentDictionary<string, long> revokedTokens = new();
    private readonly ConcurrentDictionary<long, long> revokedUsers = new();

    public static long Timestamp() => Stopwatch.GetTimestamp();

    public Entry? Get(string tokenHash) =>
        entries.TryGetValue(tokenHash, out var entry) && Timestamp() - entry.ReadAt < TimeToLive ? entry : null;

    public void Set(string tokenHash, Entry entry)
    {
        if (revokedTokens.TryGetValue(tokenHash, out var tokenGone) && tokenGone >= entry.ReadAt
            || revokedUsers.TryGetValue(entry.User.Id, out var userGone) && userGone >= entry.ReadAt)
        {
            return;
        }
        if (entries.Count >= MaxEntries)
        {
            Trim();
        }
        entries[tokenHash] = entry;
    }

    public void Forget(string tokenHash)
    {
        revokedTokens[tokenHash] = Timestamp();
        entries.TryRemove(tokenHash, out _);
    }

    /// <summary>Forgets every session of a user but one (after a password change).</summary>
    public void ForgetUser(long userId, long exceptSessionId)
    {
        revokedUsers[userId] = Timestamp();
        foreach (var (hash, entry) in entries)
        {
            if (entry.User.Id == userId && entry.User.SessionId != exceptSessionId)
            {
                entries.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>Keeps memory bounded: drops everything stale, and tombstones older than any cached read.</summary>
    private void Trim()
    {
        var now = Timestamp();
        entries.Clear();
        foreach (var (hash, at) in revokedTokens)
        {
            if (now - at > TimeToLive)
            {
                revokedTokens.TryRemove(hash, out _);
            }
        }
        foreach (var (user, at) in revokedUsers)
        {
            if (now - at > TimeToLive)
            {
                revokedUsers.TryRemove(user, out _);
            }
        }
    }
}
