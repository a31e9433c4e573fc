namespace Mirage.Feed;

public static class FeedFeature
{
    public static IServiceCollection AddFeed(this IServiceCollection services)
    {
        services.AddOptions<FeedOptions>()
            .BindConfiguration(FeedOptions.Section)
            .Validate(o => o.TrendingWindow > TimeSpan.Zero && o.RecentWindow > TimeSpan.Zero, "Mirage:Feed windows must be positive")
            .Validate(o => o.TrendingCacheDuration >= TimeSpan.Zero, "Mirage:Feed:TrendingCacheDuration cannot be negative")
            .Validate(o => o.CandidateCacheDuration >= TimeSpan.Zero, "Mirage:Feed:CandidateCacheDuration cannot be negative")
            .Validate(o => o.CandidatesPerPool >= FypMix.PageSize, $"Mirage:Feed:CandidatesPerPool must be at least {FypMix.PageSize}")
            .ValidateOnStart();
        return services
            .AddSingleton<TrendingService>()
            .AddSingleton<FypCandidateCache>()
            .AddSingleton<FypService>()
            .AddSingleton<FeedService>();
    }
}
