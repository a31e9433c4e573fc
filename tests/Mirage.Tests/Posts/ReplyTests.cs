using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Posts;

public sealed class ReplyTestsOnSqlite(SqliteServer server) : ReplyTests(server), IClassFixture<SqliteServer>;

public sealed class ReplyTestsOnPostgres(PostgresServer server) : ReplyTests(server), IClassFixture<PostgresServer>;

/// <summary>reply_to_post and get_replies: seed 001's step, order, counts, notifications and refusals.</summary>
public abstract class ReplyTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Seed_001_reply_step_then_replies_oldest_first_with_avatars()
    {
        var author = await Api.NewUserAsync("auth");
        var replier = await Api.NewUserAsync("rep");
        var postId = await Api.CreatePostAsync(author, "a point");

        var created = await (await Api.PostAsync("/api/reply_to_post",
            new { post_id = postId, content = "Great point! I totally agree with this perspective." }, replier.Token)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal("reply created", created.Str("message"));
        var first = created.GetProperty("reply_id").GetInt64();
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Api.ReplyAsync(author, postId, "thanks!");

        var replies = (await (await Api.GetAsync($"/api/get_replies/{postId}")).ShouldBe(HttpStatusCode.OK)).GetProperty("replies").EnumerateArray().ToList();
        Assert.Equal([first, second], replies.Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(replier.Username, replies[0].Str("username"));
        Assert.Equal("Great point! I totally agree with this perspective.", replies[0].Str("content"));
        Assert.EndsWith("/static/default-avatar.svg", replies[0].Str("avatar_url"), StringComparison.Ordinal);
        Assert.True(replies[0].TryGetProperty("created_at", out _));
        Assert.Equal([second], (await (await Api.GetAsync($"/api/get_replies/{postId}?after={first}")).ShouldBe(HttpStatusCode.OK))
            .GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal([first], (await (await Api.GetAsync($"/api/get_replies/{postId}?limit=1")).ShouldBe(HttpStatusCode.OK))
            .GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        Assert.Equal(2, (await Api.PostAsync(postId)).GetProperty("reply_count").GetInt64());
        // stats.posts counts replies, as the original did.
        (await Api.StatsAsync(replier)).ShouldHaveStats(0, 0, 1, 0, 0);
        (await Api.StatsAsync(author)).ShouldHaveStats(0, 0, 2, 0, 0);
    }

    [Fact]
    public async Task A_reply_notifies_the_author_but_not_when_replying_to_oneself()
    {
        var author = await Api.NewUserAsync("auth");
        var replier = await Api.NewUserAsync("rep");
        var postId = await Api.CreatePostAsync(author, "notify me");
        var replyId = await Api.ReplyAsync(replier, postId, $"hello @{author.Username}, see this");
        await Api.ReplyAsync(author, postId, "replying to myself");

        var notification = Assert.Single(await server.NotificationsAsync(await Api.UserIdAsync(author)));
        Assert.Equal("reply", notification.Type);
        Assert.Equal("New reply", notification.Title);
        Assert.Equal($"{replier.Username} replied to your post: hello @{author.Username}, see this", notification.Message);
        Assert.Equal($"post_{postId}", notification.DataJson.Str("post_id"));
        Assert.Equal($"reply_{replyId}", notification.DataJson.Str("reply_id"));
        Assert.Equal($"user_{await Api.UserIdAsync(replier)}", notification.DataJson.Str("replier_id"));
    }

    [Fact]
    public async Task Mentions_in_replies_notify_the_mentioned_users()
    {
        var author = await Api.NewUserAsync("auth");
        var replier = await Api.NewUserAsync("rep");
        var friend = await Api.NewUserAsync("frd");
        var postId = await Api.CreatePostAsync(author, "topic");
        var replyId = await Api.ReplyAsync(replier, postId, $"@{friend.Username} look @{friend.Username}");
        var mention = Assert.Single(await server.NotificationsAsync(await Api.UserIdAsync(friend)));
        Assert.Equal("mention", mention.Type);
        Assert.Equal($"{replier.Username} mentioned you in a reply: @{friend.Username} look @{friend.Username}", mention.Message);
        Assert.Equal($"post_{postId}", mention.DataJson.Str("post_id"));
        Assert.Equal($"reply_{replyId}", mention.DataJson.Str("reply_id"));
    }

    [Fact]
    public async Task Refusals_are_the_documented_ones()
    {
        var author = await Api.NewUserAsync();
        var postId = await Api.CreatePostAsync(author, "post");
        await (await Api.PostAsync("/api/reply_to_post", new { content = "x" }, author.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing post_id or content");
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = postId }, author.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing post_id or content");
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = postId, content = "   " }, author.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "missing post_id or content");
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = postId, content = new string('x', 513) }, author.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "reply content cannot exceed 512 characters");
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = 987654321, content = "x" }, author.Token))
            .ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = postId, content = "x" })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync("/api/get_replies/987654321")).ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.GetAsync("/api/get_replies/abc")).ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.GetAsync($"/api/get_replies/{postId}?limit=0")).ShouldFail(HttpStatusCode.BadRequest, "limit must be a positive number");
        Assert.Empty((await (await Api.GetAsync($"/api/get_replies/{postId}")).ShouldBe(HttpStatusCode.OK)).GetProperty("replies").EnumerateArray());
        Assert.Equal(0, (await Api.PostAsync(postId)).GetProperty("reply_count").GetInt64());
    }
}
