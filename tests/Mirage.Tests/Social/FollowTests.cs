using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Social;

public sealed class FollowTestsOnSqlite(SqliteServer server) : FollowTests(server), IClassFixture<SqliteServer>;

public sealed class FollowTestsOnPostgres(PostgresServer server) : FollowTests(server), IClassFixture<PostgresServer>;

/// <summary>Follow, unfollow, check_follow and the lists: seed 001's step, every documented error, exact counters.</summary>
public abstract class FollowTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Seed_001_follow_step_and_the_counters_lists_and_check()
    {
        var me = await Api.NewUserAsync("me");
        var friend = await Api.NewUserAsync("friend");

        var follow = await (await Api.PostAsync("/api/follow", new { username = friend.Username }, me.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal($"now following {friend.Username}", follow.Str("message"));

        var check = await (await Api.GetAsync($"/api/check_follow?username={friend.Username}", me.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.True(check.GetProperty("is_following").GetBoolean());
        var reverse = await (await Api.GetAsync($"/api/check_follow?username={me.Username}", friend.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.False(reverse.GetProperty("is_following").GetBoolean());

        (await Api.StatsAsync(me)).ShouldHaveStats(followers: 0, following: 1, posts: 0, upvotes: 0, downvotes: 0);
        (await Api.StatsAsync(friend)).ShouldHaveStats(followers: 1, following: 0, posts: 0, upvotes: 0, downvotes: 0);

        var followers = await (await Api.GetAsync($"/api/get_followers/{friend.Username}")).ShouldBe(HttpStatusCode.OK);
        var entry = Assert.Single(followers.GetProperty("followers").EnumerateArray());
        Assert.Equal(me.Username, entry.Str("username"));
        Assert.EndsWith("/static/default-avatar.svg", entry.Str("avatar_url"), StringComparison.Ordinal);
        var following = await (await Api.GetAsync($"/api/get_following/{me.Username}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(friend.Username, Assert.Single(following.GetProperty("following").EnumerateArray()).Str("username"));

        var unfollow = await (await Api.PostAsync("/api/unfollow", new { username = friend.Username }, me.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal($"unfollowed {friend.Username}", unfollow.Str("message"));
        (await Api.StatsAsync(me)).ShouldHaveStats(0, 0, 0, 0, 0);
        (await Api.StatsAsync(friend)).ShouldHaveStats(0, 0, 0, 0, 0);
        var after = await (await Api.GetAsync($"/api/check_follow?username={friend.Username}", me.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.False(after.GetProperty("is_following").GetBoolean());
        Assert.Empty((await (await Api.GetAsync($"/api/get_followers/{friend.Username}")).ShouldBe(HttpStatusCode.OK)).GetProperty("followers").EnumerateArray());
    }

    [Fact]
    public async Task Usernames_are_matched_case_insensitively_and_answered_in_their_stored_spelling()
    {
        var me = await Api.NewUserAsync();
        var friend = await Api.NewUserAsync("Friend");
        var follow = await (await Api.PostAsync("/api/follow", new { username = friend.Username.ToUpperInvariant() }, me.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal($"now following {friend.Username}", follow.Str("message"));
    }

    [Fact]
    public async Task Refusals_are_the_documented_ones_and_never_change_the_counters()
    {
        var me = await Api.NewUserAsync();
        var friend = await Api.NewUserAsync();
        var nobody = "nobody_" + Guid.NewGuid().ToString("N")[..10];

        await (await Api.PostAsync("/api/follow", new { }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing fields");
        await (await Api.PostAsync("/api/follow", new { username = "  " }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing fields");
        await (await Api.PostAsync("/api/follow", new { username = nobody }, me.Token)).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.PostAsync("/api/follow", new { username = me.Username }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "you cannot follow yourself");
        await (await Api.PostAsync("/api/follow", new { username = friend.Username })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");

        await Api.FollowAsync(me, friend);
        await (await Api.PostAsync("/api/follow", new { username = friend.Username }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "already following");
        (await Api.StatsAsync(friend)).ShouldHaveStats(1, 0, 0, 0, 0);
        (await Api.StatsAsync(me)).ShouldHaveStats(0, 1, 0, 0, 0);

        await (await Api.PostAsync("/api/unfollow", new { }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing fields");
        await (await Api.PostAsync("/api/unfollow", new { username = nobody }, me.Token)).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.PostAsync("/api/unfollow", new { username = me.Username }, friend.Token)).ShouldFail(HttpStatusCode.BadRequest, "not following this user");
        await (await Api.PostAsync("/api/unfollow", new { username = friend.Username })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        (await Api.StatsAsync(friend)).ShouldHaveStats(1, 0, 0, 0, 0);

        await (await Api.GetAsync("/api/check_follow", me.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing fields");
        await (await Api.GetAsync($"/api/check_follow?username={nobody}", me.Token)).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.GetAsync($"/api/check_follow?username={friend.Username}")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync($"/api/get_followers/{nobody}")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.GetAsync($"/api/get_following/{nobody}")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.GetAsync($"/api/get_followers/{friend.Username}?limit=0")).ShouldFail(HttpStatusCode.BadRequest, "limit must be a positive number");
        await (await Api.PostRawAsync("/api/follow", "{\"username\": 12}", token: me.Token)).ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'username'");
    }

    [Fact]
    public async Task Lists_are_newest_first_and_take_a_limit()
    {
        var star = await Api.NewUserAsync("star");
        var fans = new List<TestUser>();
        for (var i = 0; i < 3; i++)
        {
            var fan = await Api.NewUserAsync("fan");
            await Api.FollowAsync(fan, star);
            fans.Add(fan);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var followers = (await (await Api.GetAsync($"/api/get_followers/{star.Username}")).ShouldBe(HttpStatusCode.OK))
            .GetProperty("followers").EnumerateArray().Select(f => f.Str("username")).ToList();
        Assert.Equal(fans.Select(f => f.Username).Reverse(), followers);
        var limited = (await (await Api.GetAsync($"/api/get_followers/{star.Username}?limit=2")).ShouldBe(HttpStatusCode.OK))
            .GetProperty("followers").EnumerateArray().Select(f => f.Str("username")).ToList();
        Assert.Equal(followers.Take(2), limited);
    }

    [Fact]
    public async Task A_follow_notifies_the_followed_user_once_even_after_refollowing()
    {
        var follower = await Api.NewUserAsync("fol");
        var followed = await Api.NewUserAsync("fld");
        await Api.FollowAsync(follower, followed);
        await (await Api.PostAsync("/api/unfollow", new { username = followed.Username }, follower.Token)).ShouldBe(HttpStatusCode.OK);
        await Api.FollowAsync(follower, followed);

        var notification = Assert.Single(await server.NotificationsAsync(await Api.UserIdAsync(followed)));
        Assert.Equal("follow", notification.Type);
        Assert.Equal("New follower", notification.Title);
        Assert.Equal($"{follower.Username} started following you", notification.Message);
        Assert.Equal($"user_{await Api.UserIdAsync(follower)}", notification.DataJson.Str("follower_id"));
        Assert.Empty(await server.NotificationsAsync(await Api.UserIdAsync(follower)));
    }

    [Fact]
    public async Task Concurrent_follows_and_duplicates_keep_the_counters_true()
    {
        var star = await Api.NewUserAsync("star");
        var fans = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Api.NewUserAsync("fan")));
        // Every fan follows twice at once: exactly one of each pair succeeds.
        var responses = await Task.WhenAll(fans.Concat(fans).Select(fan =>
            Api.PostAsync("/api/follow", new { username = star.Username }, fan.Token)));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        (await Api.StatsAsync(star)).ShouldHaveStats(20, 0, 0, 0, 0);

        // Mutual follows at the same moment must not deadlock (rows are locked in id order).
        var mutual = await Task.WhenAll(fans.SelectMany(fan => new[]
        {
            Api.PostAsync("/api/follow", new { username = fan.Username }, star.Token),
            Api.PostAsync("/api/unfollow", new { username = star.Username }, fan.Token),
        }));
        Assert.All(mutual, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        (await Api.StatsAsync(star)).ShouldHaveStats(0, 20, 0, 0, 0);
        foreach (var fan in fans.Take(3))
        {
            (await Api.StatsAsync(fan)).ShouldHaveStats(1, 0, 0, 0, 0);
        }
    }
}
