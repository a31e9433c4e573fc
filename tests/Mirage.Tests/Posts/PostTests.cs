using System.Net;
using System.Text.Json;
using Dapper;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Posts;

public sealed class PostTestsOnSqlite(SqliteServer server) : PostTests(server), IClassFixture<SqliteServer>;

public sealed class PostTestsOnPostgres(PostgresServer server) : PostTests(server), IClassFixture<PostgresServer>;

/// <summary>create_post, get_posts, get_post_by_id: seed 001's posting step, the length rule, paging, hashtags, mentions.</summary>
public abstract class PostTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private static readonly string[] OriginalKeys = ["id", "username", "content", "created_at", "upvotes", "downvotes"];

    [Fact]
    public async Task Seed_001_posting_step_exactly_as_written()
    {
        var me = await Api.NewUserAsync("yourname");
        const string content = "Hello Mirage! Excited to join this community. #newbie";
        var created = await (await Api.PostAsync("/api/create_post", new { content }, me.Token)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal("post created", created.Str("message"));
        var postId = created.GetProperty("post_id").GetInt64();

        var posts = await (await Api.GetAsync($"/api/get_posts/{me.Username}")).ShouldBe(HttpStatusCode.OK);
        var post = Assert.Single(posts.GetProperty("posts").EnumerateArray());
        foreach (var key in OriginalKeys)
        {
            Assert.True(post.TryGetProperty(key, out _), $"missing {key}");
        }
        Assert.Equal(postId, post.GetProperty("id").GetInt64());
        Assert.Equal(me.Username, post.Str("username"));
        Assert.Equal(content, post.Str("content"));
        Assert.Equal(0, post.GetProperty("upvotes").GetInt64());
        Assert.Equal(0, post.GetProperty("downvotes").GetInt64());
        Assert.Equal(0, post.GetProperty("reply_count").GetInt64());
        var createdAt = DateTimeOffset.Parse(post.Str("created_at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((server.Clock.GetUtcNow() - createdAt).TotalMinutes) < 1);

        var byId = await Api.PostAsync(postId);
        Assert.Equal(post.ToString(), byId.ToString());
        (await Api.StatsAsync(me)).ShouldHaveStats(0, 0, 1, 0, 0);
    }

    [Fact]
    public async Task Content_is_required_and_limited_to_512_characters_as_a_person_counts_them()
    {
        var me = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/create_post", new { }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "nothing to post");
        await (await Api.PostAsync("/api/create_post", new { content = "" }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "nothing to post");
        await (await Api.PostAsync("/api/create_post", new { content = " \n\t " }, me.Token)).ShouldFail(HttpStatusCode.BadRequest, "nothing to post");
        await (await Api.PostAsync("/api/create_post", new { content = new string('a', 513) }, me.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "post content cannot exceed 512 characters");
        await (await Api.PostAsync("/api/create_post", new { content = string.Concat(Enumerable.Repeat("😀", 513)) }, me.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "post content cannot exceed 512 characters");
        await (await Api.PostAsync("/api/create_post", new { content = "nul \0 byte" }, me.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "content contains invalid characters");
        await (await Api.PostRawAsync("/api/create_post", "{\"content\": \"broken \\ud800 pair\"}", token: me.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'content'");
        await (await Api.PostRawAsync("/api/create_post", "{\"content\": 5}", token: me.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'content'");
        await (await Api.PostRawAsync("/api/create_post", "not json", token: me.Token)).ShouldFail(HttpStatusCode.BadRequest);
        await (await Api.PostAsync("/api/create_post", new { content = "hi" })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");

        // 512 emoji are 1024 UTF-16 units, 512 characters; a flag and a skin-toned thumb are one character each.
        var emoji = string.Concat(Enumerable.Repeat("😀", 511)) + "👍🏽";
        var id = await Api.CreatePostAsync(me, emoji);
        Assert.Equal(emoji, (await Api.PostAsync(id)).Str("content"));
        await Api.CreatePostAsync(me, new string('a', 512));
        // Surrounding whitespace is not content.
        var trimmed = await Api.CreatePostAsync(me, "  spaced out \n");
        Assert.Equal("spaced out", (await Api.PostAsync(trimmed)).Str("content"));
        (await Api.StatsAsync(me)).ShouldHaveStats(0, 0, 3, 0, 0);
    }

    [Fact]
    public async Task Get_posts_is_newest_first_and_pages_with_limit_and_before()
    {
        var me = await Api.NewUserAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Api.CreatePostAsync(me, $"post {i}"));
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        ids.Reverse();
        Assert.Equal(ids, await IdsAsync($"/api/get_posts/{me.Username}"));
        Assert.Equal(ids.Take(2), await IdsAsync($"/api/get_posts/{me.Username}?limit=2"));
        Assert.Equal(ids.Skip(2).Take(2), await IdsAsync($"/api/get_posts/{me.Username}?limit=2&before={ids[1]}"));
        Assert.Empty(await IdsAsync($"/api/get_posts/{me.Username}?before={ids[^1]}"));
        Assert.Equal(ids, await IdsAsync($"/api/get_posts/{me.Username.ToUpperInvariant()}?limit=100000"));

        Assert.Empty(await IdsAsync($"/api/get_posts/nobody_{Guid.NewGuid():N}"[..40]));
        await (await Api.GetAsync($"/api/get_posts/{me.Username}?limit=0")).ShouldFail(HttpStatusCode.BadRequest, "limit must be a positive number");
        await (await Api.GetAsync($"/api/get_posts/{me.Username}?limit=abc")).ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'limit'");
        await (await Api.GetAsync($"/api/get_posts/{me.Username}?before=x")).ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'before'");
    }

    private async Task<List<long>> IdsAsync(string path) =>
        (await (await Api.GetAsync(path)).ShouldBe(HttpStatusCode.OK)).GetProperty("posts").EnumerateArray()
            .Select(p => p.GetProperty("id").GetInt64()).ToList();

    [Fact]
    public async Task Get_post_by_id_answers_404_for_unknown_or_malformed_ids()
    {
        await (await Api.GetAsync("/api/get_post_by_id/999999999")).ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.GetAsync("/api/get_post_by_id/abc")).ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.GetAsync("/api/get_post_by_id/-1")).ShouldFail(HttpStatusCode.NotFound, "post not found");
        var me = await Api.NewUserAsync();
        var id = await Api.CreatePostAsync(me, "findable");
        Assert.Equal(id, (await (await Api.GetAsync($"/api/get_post_by_id/post_{id}")).ShouldBe(HttpStatusCode.OK)).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Hashtags_are_indexed_at_write_time_case_insensitively_once_per_post()
    {
        var me = await Api.NewUserAsync();
        var id = await Api.CreatePostAsync(me, "#Mirage and #mirage again, #Café #日本語 #snake_case, not a#b nor &#39; nor #");
        var tags = await server.Database.ReadAsync(db => db.Connection.QueryAsync<string>(
            "SELECT tag FROM post_hashtags WHERE post_id = @id ORDER BY tag", new { id }));
        Assert.Equal(new[] { "café", "mirage", "snake_case", "日本語" }.Order(StringComparer.Ordinal), tags.Order(StringComparer.Ordinal));

        var v1 = await (await Api.GetAsync($"/v1/posts/post_{id}", me.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["mirage", "café", "日本語", "snake_case"], v1.GetProperty("post").GetProperty("hashtags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Mentions_notify_each_existing_user_once_and_never_the_author()
    {
        var author = await Api.NewUserAsync("auth");
        var bob = await Api.NewUserAsync("bob");
        var carol = await Api.NewUserAsync("carol");
        var id = await Api.CreatePostAsync(author,
            $"hi @{bob.Username} and @{bob.Username.ToUpperInvariant()}, @{carol.Username}! me: @{author.Username}, mail {carol.Username}@example.com");

        foreach (var user in new[] { bob, carol })
        {
            var mention = Assert.Single(await server.NotificationsAsync(await Api.UserIdAsync(user)));
            Assert.Equal("mention", mention.Type);
            Assert.Equal("New mention", mention.Title);
            Assert.StartsWith($"{author.Username} mentioned you in a post: hi @", mention.Message, StringComparison.Ordinal);
            Assert.Equal($"post_{id}", mention.DataJson.Str("post_id"));
        }
        Assert.Empty(await server.NotificationsAsync(await Api.UserIdAsync(author)));
        await Api.CreatePostAsync(author, "nobody here: @nobody_at_all_here, @12345");
        Assert.Single(await server.NotificationsAsync(await Api.UserIdAsync(bob)));
    }

    [Fact]
    public async Task Posts_render_the_authors_avatar()
    {
        var username = MirageClient.UniqueName("av");
        await (await Api.PostAsync("/api/register", new
        {
            username, email = $"{username}@example.com", password = MirageClient.Password, avatar_url = "https://example.com/a.png",
        })).ShouldBe(HttpStatusCode.Created);
        var token = await Api.LoginAsync(username, MirageClient.Password);
        var user = new TestUser(username, $"{username}@example.com", MirageClient.Password, token);
        var id = await Api.CreatePostAsync(user, "with avatar");
        Assert.Equal("https://example.com/a.png", (await Api.PostAsync(id)).Str("avatar_url"));
        var v1 = await (await Api.GetAsync($"/v1/posts/{id}", token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Object, v1.GetProperty("post").GetProperty("author").ValueKind);
        Assert.Equal("https://example.com/a.png", v1.GetProperty("post").GetProperty("author").Str("avatar_url"));
    }
}
