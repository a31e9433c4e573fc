using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Posts;

public sealed class PostV1TestsOnSqlite(SqliteServer server) : PostV1Tests(server), IClassFixture<SqliteServer>;

public sealed class PostV1TestsOnPostgres(PostgresServer server) : PostV1Tests(server), IClassFixture<PostgresServer>;

/// <summary>/v1 posts: string ids, author profiles, cursor paging, problem details; replies and votes as additions.</summary>
public abstract class PostV1Tests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private async Task<JsonElement> CreateAsync(TestUser user, string content)
    {
        var response = await Api.PostAsync("/v1/posts", new { content }, user.Token, bearer: true);
        var body = await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"/v1/posts/{body.GetProperty("post").Str("id")}", response.Headers.Location?.OriginalString);
        return body.GetProperty("post");
    }

    [Fact]
    public async Task Create_and_get_a_post_in_the_v1_shape()
    {
        var me = await Api.NewUserAsync("v1");
        var post = await CreateAsync(me, "Hello #V1 world");
        var userId = await Api.UserIdAsync(me);
        Assert.Matches("^post_[0-9]+$", post.Str("id"));
        Assert.Equal("Hello #V1 world", post.Str("content"));
        Assert.Equal(["v1"], post.GetProperty("hashtags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal((0, 0, 0), (post.GetProperty("upvotes").GetInt32(), post.GetProperty("downvotes").GetInt32(), post.GetProperty("reply_count").GetInt32()));
        Assert.EndsWith("Z", post.Str("created_at"), StringComparison.Ordinal);
        var author = post.GetProperty("author");
        Assert.Equal($"user_{userId}", author.Str("id"));
        Assert.Equal(me.Username, author.Str("username"));
        foreach (var key in new[] { "first_name", "last_name", "avatar_url" })
        {
            Assert.True(author.TryGetProperty(key, out _), $"author lacks {key}");
        }

        var fetched = await (await Api.GetAsync($"/v1/posts/{post.Str("id")}", me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(post.ToString(), fetched.GetProperty("post").ToString());
    }

    [Fact]
    public async Task Errors_are_problem_details()
    {
        var me = await Api.NewUserAsync();
        var missing = await Api.GetAsync("/v1/posts/post_987654321", me.Token, bearer: true);
        var problem = await missing.ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", missing.ContentType()?.MediaType);
        Assert.Equal("post not found", problem.Str("detail"));
        await (await Api.PostAsync("/v1/posts", new { content = " " }, me.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "nothing to post");
        await (await Api.PostAsync("/v1/posts", new { content = "x" })).ShouldFail(HttpStatusCode.Unauthorized);
        await (await Api.GetAsync("/v1/users/user_987654321/posts", me.Token, bearer: true)).ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.GetAsync($"/v1/users/{me.Username}/posts?cursor=garbage!", me.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "invalid cursor");
        await (await Api.GetAsync($"/v1/users/{me.Username}/posts?limit=0", me.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_users_posts_page_with_an_opaque_cursor_by_id_or_username()
    {
        var me = await Api.NewUserAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateAsync(me, $"n{i}")).Str("id"));
        }
        ids.Reverse();
        var userId = await Api.UserIdAsync(me);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var path = $"/v1/users/user_{userId}/posts?limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await (await Api.GetAsync(path, me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("posts").EnumerateArray().Select(p => p.Str("id")));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.Str("next_cursor");
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
        var byName = await (await Api.GetAsync($"/v1/users/{me.Username}/posts", me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(ids, byName.GetProperty("posts").EnumerateArray().Select(p => p.Str("id")));
        Assert.Equal(JsonValueKind.Null, byName.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Replies_and_votes_on_v1_use_the_same_rules()
    {
        var author = await Api.NewUserAsync("au");
        var other = await Api.NewUserAsync("ot");
        var post = await CreateAsync(author, "discuss");
        var id = post.Str("id");

        var reply = await (await Api.PostAsync($"/v1/posts/{id}/replies", new { content = "first!" }, other.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal(id, reply.GetProperty("reply").Str("post_id"));
        Assert.Matches("^reply_[0-9]+$", reply.GetProperty("reply").Str("id"));
        Assert.Equal(other.Username, reply.GetProperty("reply").GetProperty("author").Str("username"));
        await (await Api.PostAsync($"/v1/posts/{id}/replies", new { content = "second" }, author.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        var page = await (await Api.GetAsync($"/v1/posts/{id}/replies?limit=1", other.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("first!", Assert.Single(page.GetProperty("replies").EnumerateArray()).Str("content"));
        var rest = await (await Api.GetAsync($"/v1/posts/{id}/replies?cursor={page.Str("next_cursor")}", other.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("second", Assert.Single(rest.GetProperty("replies").EnumerateArray()).Str("content"));

        var vote = await (await Api.PostAsync($"/v1/posts/{id}/vote", new { vote = "up" }, other.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("vote counted", vote.Str("message"));
        Assert.Equal(1, vote.GetProperty("post").GetProperty("upvotes").GetInt32());
        Assert.Equal(2, vote.GetProperty("post").GetProperty("reply_count").GetInt32());
        await (await Api.PostAsync($"/v1/posts/{id}/vote", new { vote = "up" }, author.Token, bearer: true))
            .ShouldFail(HttpStatusCode.Forbidden, "cannot vote on your own post");
        await (await Api.PostAsync("/v1/posts/post_987654321/vote", new { vote = "up" }, other.Token, bearer: true))
            .ShouldFail(HttpStatusCode.NotFound, "post not found");
    }

    [Fact]
    public async Task Posts_of_a_hashtag_newest_first()
    {
        var me = await Api.NewUserAsync();
        var tag = "t" + Guid.NewGuid().ToString("N")[..12];
        var first = (await CreateAsync(me, $"#{tag} one")).Str("id");
        await CreateAsync(me, "untagged");
        var second = (await CreateAsync(me, $"two #{tag.ToUpperInvariant()}")).Str("id");
        var page = await (await Api.GetAsync($"/v1/hashtags/{tag}/posts", me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([second, first], page.GetProperty("posts").EnumerateArray().Select(p => p.Str("id")));
        var limited = await (await Api.GetAsync($"/v1/hashtags/%23{tag}/posts?limit=1", me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([second], limited.GetProperty("posts").EnumerateArray().Select(p => p.Str("id")));
        Assert.NotEqual(JsonValueKind.Null, limited.GetProperty("next_cursor").ValueKind);
    }
}
