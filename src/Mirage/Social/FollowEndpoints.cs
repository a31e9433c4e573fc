using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Social;

/// <summary>The Mirage-compatible follow endpoints under <c>/api</c>.</summary>
public static class FollowEndpoints
{
    public static RouteGroupBuilder MapSocialApi(this RouteGroupBuilder api)
    {
        api.MapPost("/follow", async (FollowRequest request, CurrentUser user, FollowService follows) =>
            new Message($"now following {await follows.FollowAsync(user, request.Username)}")).RequireAuthorization();
        api.MapPost("/unfollow", async (FollowRequest request, CurrentUser user, FollowService follows) =>
            new Message($"unfollowed {await follows.UnfollowAsync(user, request.Username)}")).RequireAuthorization();
        api.MapGet("/check_follow", async (string? username, CurrentUser user, FollowService follows) =>
            new CheckFollowResponse(await follows.IsFollowingAsync(user, username))).RequireAuthorization();
        api.MapGet("/get_followers/{username}", async (string username, int? limit, FollowService follows) =>
            new FollowersResponse(await follows.FollowersAsync(username, limit)));
        api.MapGet("/get_following/{username}", async (string username, int? limit, FollowService follows) =>
            new FollowingResponse(await follows.FollowingAsync(username, limit)));
        return api;
    }
}
