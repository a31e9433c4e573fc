namespace Mirage.Feed;

/// <summary>The <c>Mirage:Feed</c> configuration section.</summary>
public sealed class FeedOptions
{
    public const string Section = "Mirage:Feed";

    /// <summary>Trending topics count hashtags of posts created within this window.</summary>
    public TimeSpan TrendingWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a computed trending list is reused (per node); zero computes it on every request.</summary>
    public TimeSpan TrendingCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>For-You page: posts newer than this are "recent", older ones are the "archive".</summary>
    public TimeSpan RecentWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>For-You page: how many of the newest posts of a recent pool it samples from.</summary>
    public int CandidatesPerPool { get; set; } = 200;

    /// <summary>
    /// For-You page: how long a user's recent pools (the newest posts of followed users and of everyone else) are
    /// reused, per node; every request still samples its own page from them. Zero reads them on every request.
    /// </summary>
    public TimeSpan CandidateCacheDuration { get; set; } = TimeSpan.FromSeconds(10);
}
