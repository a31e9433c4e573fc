using System.Net;
using System.Text.Json;
using Dapper;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Posts;

/// <summary>A notification as stored, for asserting what a follow, reply or mention produced.</summary>
public sealed record StoredNotification(string Type, string Title, string Message, string Data, string? CollapseKey)
{
    public JsonElement DataJson => JsonDocument.Parse(Data).RootElement;
}

/// <summary>Shortcuts over the HTTP API for the social tests (posts, follows, votes) and a look into notifications.</summary>
public static class SocialTestHelpers
{
    public static async Task<long> CreatePostAsync(this MirageClient api, TestUser user, string content)
    {
        var body = await (await api.PostAsync("/api/create_post", new { content }, user.Token)).ShouldBe(HttpStatusCode.Created);
        return body.GetProperty("post_id").GetInt64();
    }

    public static async Task FollowAsync(this MirageClient api, TestUser follower, TestUser followee) =>
        await (await api.PostAsync("/api/follow", new { username = followee.Username }, follower.Token)).ShouldBe(HttpStatusCode.OK);

    public static async Task VoteAsync(this MirageClient api, TestUser voter, long postId, string voteType) =>
        await (await api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = voteType }, voter.Token)).ShouldBe(HttpStatusCode.OK);

    public static async Task<long> ReplyAsync(this MirageClient api, TestUser user, long postId, string content)
    {
        var body = await (await api.PostAsync("/api/reply_to_post", new { post_id = postId, content }, user.Token)).ShouldBe(HttpStatusCode.Created);
        return body.GetProperty("reply_id").GetInt64();
    }

    public static async Task<long> UserIdAsync(this MirageClient api, TestUser user)
    {
        var me = await (await api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        return long.Parse(me.Str("id")["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<JsonElement> StatsAsync(this MirageClient api, TestUser user) =>
        (await (await api.GetAsync($"/api/user/{user.Username}")).ShouldBe(HttpStatusCode.OK)).GetProperty("stats");

    public static async Task<JsonElement> PostAsync(this MirageClient api, long postId) =>
        await (await api.GetAsync($"/api/get_post_by_id/{postId}")).ShouldBe(HttpStatusCode.OK);

    public static async Task<IReadOnlyList<StoredNotification>> NotificationsAsync(this MirageServer server, long userId) =>
        (await server.Database.ReadAsync(db => db.Connection.QueryAsync<StoredNotification>(
            "SELECT type, title, message, data, collapse_key AS CollapseKey FROM notifications WHERE user_id = @userId ORDER BY id",
            new { userId }))).ToList();

    public static void ShouldHaveStats(this JsonElement stats, long followers, long following, long posts, long upvotes, long downvotes)
    {
        Assert.Equal(
            (followers, following, posts, upvotes, downvotes),
            (stats.GetProperty("followers").GetInt64(), stats.GetProperty("following").GetInt64(), stats.GetProperty("posts").GetInt64(),
                stats.GetProperty("upvotes").GetInt64(), stats.GetProperty("downvotes").GetInt64()));
    }
}
