using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Mirage.Common;

namespace Mirage.Feed;

/// <summary>
/// The post ids a user's For-You page samples from, and the id range they were read against.
/// <see cref="SinceId"/> is the first recent post; the archive is every post below it.
/// </summary>
public sealed record FypCandidates(long MinId, long SinceId, IReadOnlyList<long> Followed, IReadOnlyList<long> Global, long ExpiresAtMs);

/// <summary>
/// Keeps each user's recent pools for <c>Mirage:Feed:CandidateCacheDuration</c>: reading the newest 200 posts of two
/// pools was a third of a For-You request, and a page sampled from pools a few seconds old is still a fresh page.
/// Bounded by the number of ids held, so many users cannot make it grow without limit. Expiry follows the injected
/// clock.
/// </summary>
public sealed class FypCandidateCache(TimeProvider clock, IOptions<FeedOptions> options) : IDisposable
{
    /// <summary>About 16 MB of ids at most; the least recently used users' pools go first.</summary>
    private const long MaxIds = 2_000_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxIds, CompactionPercentage = 0.25 });

    private TimeSpan Duration => options.Value.CandidateCacheDuration;

    public FypCandidates? Find(long userId) =>
        Duration > TimeSpan.Zero && cache.TryGetValue(userId, out FypCandidates? found) && found!.ExpiresAtMs > clock.NowMs()
            ? found
            : null;

    /// <summary>Candidates that expire after the configured duration, remembered when caching is on.</summary>
    public FypCandidates Remember(long userId, long minId, long sinceId, IReadOnlyList<long> followed, IReadOnlyList<long> global)
    {
        var candidates = new FypCandidates(minId, sinceId, followed, global, clock.NowMs() + (long)Duration.TotalMilliseconds);
        if (Duration > TimeSpan.Zero)
        {
            cache.Set(userId, candidates, new MemoryCacheEntryOptions { Size = 1 + followed.Count + global.Count });
        }
        return candidates;
    }

    public void Dispose() => cache.Dispose();
}
