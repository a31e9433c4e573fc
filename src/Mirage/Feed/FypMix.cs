namespace Mirage.Feed;

/// <summary>
/// The For-You page's arithmetic, free of I/O: 30 posts, 40 % from followed users, 40 % from everyone else,
/// 20 % from the archive; a short pool's share goes to the others; the pools are spread through the page.
/// </summary>
public static class FypMix
{
    public const int PageSize = 30;

    /// <summary>Shares of the page, in pool order: followed, global, archive.</summary>
    public static readonly IReadOnlyList<int> Targets = [12, 12, 6];

    /// <summary>
    /// The first post id that is not archive. The archive is the older part of what exists, as the original's was
    /// its oldest posts: the posts older than the recent window, but never less than the oldest share of the id range
    /// that the archive has of the page (a fifth). Otherwise, while a community is younger than the window, the
    /// archive was empty and the page was 15 + 15 instead of 12 + 12 + 6. Post ids grow with time, so an id range
    /// is a span of time.
    /// </summary>
    public static long ArchiveEnd(long minId, long maxId, long firstRecentId)
    {
        var oldestShare = minId + (maxId - minId + 1) * Targets[^1] / PageSize;
        return Math.Max(firstRecentId, oldestShare);
    }

    /// <summary>How many posts to take from each pool given how many each has.</summary>
    public static int[] Allocate(IReadOnlyList<int> available)
    {
        var take = new int[Targets.Count];
        for (var i = 0; i < take.Length; i++)
        {
            take[i] = Math.Min(Targets[i], available[i]);
        }
        // The gap left by short pools is filled one post at a time, round robin over pools that still have posts.
        var remaining = PageSize - take.Sum();
        for (var progressed = true; remaining > 0 && progressed;)
        {
            progressed = false;
            for (var i = 0; i < take.Length && remaining > 0; i++)
            {
                if (take[i] < available[i])
                {
                    take[i]++;
                    remaining--;
                    progressed = true;
                }
            }
        }
        return take;
    }

    /// <summary><paramref name="count"/> distinct items chosen uniformly at random (a partial Fisher-Yates shuffle).</summary>
    public static List<T> Sample<T>(IReadOnlyList<T> items, int count, Random random)
    {
        var copy = items.ToArray();
        count = Math.Min(count, copy.Length);
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.Take(count).ToList();
    }

    /// <summary>
    /// Spreads each pool evenly over the page with random jitter: item j of a pool of n sits near position j/n.
    /// Every stretch of the page shows a mix of the pools, and the order differs from one request to the next.
    /// </summary>
    public static List<T> Interleave<T>(IReadOnlyList<IReadOnlyList<T>> pools, Random random)
    {
        var keyed = new List<(double Key, T Item)>();
        foreach (var pool in pools)
        {
            for (var j = 0; j < pool.Count; j++)
            {
                keyed.Add(((j + random.NextDouble()) / pool.Count, pool[j]));
            }
        }
        return keyed.OrderBy(k => k.Key).Select(k => k.Item).ToList();
    }
}
