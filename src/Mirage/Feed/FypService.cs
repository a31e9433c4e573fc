using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Data;
using Mirage.Posts;

namespace Mirage.Feed;

/// <summary>A For-You page: the blended posts, and the trending topics shown beside them.</summary>
public sealed record ForYouPage(IReadOnlyList<PostRow> Posts, IReadOnlyList<TrendingTopic> Trending);

/// <summary>
/// The For-You page (DESIGN.md departure from the original): up to 30 posts, 40 % recent posts of followed
/// users, 40 % recent posts of everyone else (never the viewer's own), 20 % random older "archive" posts
/// (<see cref="FypMix.ArchiveEnd"/>); no
/// duplicates; a short pool's share is filled from the others, so a user who follows nobody still gets a feed.
/// </summary>
public sealed class FypService(IDatabase database, TrendingService trending, FypCandidateCache candidateCache, TimeProvider clock,
    IOptions<FeedOptions> options)
{
    // More probes than the page can use: some land on the viewer's own posts or on the same post twice.
    private const int ArchiveProbes = FypMix.PageSize + FypMix.PageSize / 2;

    public async Task<ForYouPage> GetAsync(CurrentUser viewer)
    {
        var random = Random.Shared;
        var posts = await database.ReadAsync(async db =>
        {
            var candidates = candidateCache.Find(viewer.Id) ?? await ReadCandidatesAsync(db, viewer.Id);
            if (candidates is null)
            {
                return [];
            }
            IReadOnlyList<long>[] pools =
            [
                candidates.Followed,
                candidates.Global,
                await ArchiveAsync(db, viewer.Id, candidates.MinId, candidates.SinceId, random),
            ];
            var take = FypMix.Allocate(pools.Select(p => p.Count).ToList());
            var chosen = pools.Select((pool, i) => (IReadOnlyList<long>)FypMix.Sample(pool, take[i], random)).ToList();
            var order = FypMix.Interleave(chosen, random).Distinct().ToList();
            var rows = (await PostStore.GetManyAsync(db, order)).ToDictionary(r => r.Id);
            return order.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
        });
        return new ForYouPage(posts, await trending.GetAsync());
    }

    /// <summary>The recent pools and the archive's range; null when there are no posts at all (nothing is cached).</summary>
    private async Task<FypCandidates?> ReadCandidatesAsync(DbSession db, long viewerId)
    {
        var (minId, maxId) = await FypStore.IdRangeAsync(db);
        if (maxId == 0)
        {
            return null;
        }
        var since = clock.NowMs() - (long)options.Value.RecentWindow.TotalMilliseconds;
        var sinceId = FypMix.ArchiveEnd(minId, maxId, await FypStore.FirstIdSinceAsync(db, since) ?? maxId + 1);
        var perPool = options.Value.CandidatesPerPool;
        var followed = await FypStore.FollowedAsync(db, viewerId, sinceId, perPool);
        var global = await FypStore.GlobalAsync(db, viewerId, sinceId, perPool);
        return candidateCache.Remember(viewerId, minId, sinceId, followed, global);
    }

    private static async Task<IReadOnlyList<long>> ArchiveAsync(DbSession db, long viewerId, long minId, long sinceId, Random random)
    {
        if (sinceId - minId <= ArchiveProbes * 2)
        {
            return await FypStore.ArchiveAsync(db, viewerId, sinceId, ArchiveProbes * 2);
        }
        var probes = Enumerable.Range(0, ArchiveProbes).Select(_ => random.NextInt64(minId, sinceId)).ToList();
        return await FypStore.ArchiveSampleAsync(db, viewerId, sinceId, probes);
    }
}
