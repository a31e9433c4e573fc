using Mirage.Accounts;
using Mirage.Common;
using Mirage.Posts;

namespace Mirage.Feed;

public sealed record FypResponse(IReadOnlyList<ApiPost> Posts, IReadOnlyList<string> TrendingTopics);

public sealed record FypResponseV1(IReadOnlyList<PostV1> Posts, IReadOnlyList<TrendingTopicV1> Trending);

/// <summary>The For-You page on <c>/api</c>, and the home feed, For-You page and trending topics on <c>/v1</c>.</summary>
public static class FeedEndpoints
{
    public const int MaxTrendingHours = 24 * 7;

    public static RouteGroupBuilder MapFeedApi(this RouteGroupBuilder api)
    {
        api.MapGet("/fyp", async (CurrentUser user, FypService fyp, PostViews views) =>
        {
            var page = await fyp.GetAsync(user);
            return new FypResponse(page.Posts.Select(views.ToApi).ToList(), page.Trending.Select(TrendingService.Display).ToList());
        }).RequireAuthorization();
        return api;
    }

    public static RouteGroupBuilder MapFeedV1(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("").RequireAuthorization();
        group.MapGet("/feed", (int? limit, string? cursor, CurrentUser user, FeedService feed) => feed.HomeAsync(user, limit, cursor));
        group.MapGet("/fyp", async (CurrentUser user, FypService fyp) =>
        {
            var page = await fyp.GetAsync(user);
            return new FypResponseV1(page.Posts.Select(PostViews.ToV1).ToList(), page.Trending.Select(TrendingService.ToV1).ToList());
        });
        group.MapGet("/trending", Trending);
        return v1;
    }

    /// <summary>Trending topics over the configured window, or over the last <c>hours</c> (1 to 168).</summary>
    private static async Task<TrendingResponseV1> Trending(int? hours, TrendingService trending, TimeProvider clock)
    {
        if (hours is < 1 or > MaxTrendingHours)
        {
            throw MirageException.BadRequest($"hours must be between 1 and {MaxTrendingHours}");
        }
        var window = hours is null ? (TimeSpan?)null : TimeSpan.FromHours(hours.Value);
        var topics = window is null ? await trending.GetAsync() : await trending.GetAsync(window.Value);
        var since = clock.GetUtcNow() - (window ?? trending.Window);
        return new TrendingResponseV1(topics.Select(TrendingService.ToV1).ToList(), Time.ToIso(since.ToUnixTimeMilliseconds()));
    }
}
