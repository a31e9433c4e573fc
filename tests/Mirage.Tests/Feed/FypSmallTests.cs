using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Feed;

public sealed class FypSmallTestsOnSqlite(SqliteServer server) : FypSmallTests(server), IClassFixture<SqliteServer>;

public sealed class FypSmallTestsOnPostgres(PostgresServer server) : FypSmallTests(server), IClassFixture<PostgresServer>;

/// <summary>A fresh server with a handful of posts: the page is every post there is but one's own, once each.</summary>
public abstract class FypSmallTests(MirageServer server)
{
    [Fact]
    public async Task An_empty_server_gives_an_empty_page_and_a_small_one_gives_every_other_post_once()
    {
        var api = server.Client;
        var viewer = await api.NewUserAsync("viewer");
        var empty = await (await api.GetAsync("/api/fyp", viewer.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("posts").EnumerateArray());
        Assert.Empty(empty.GetProperty("trending_topics").EnumerateArray());

        var friend = await api.NewUserAsync("friend");
        var other = await api.NewUserAsync("other");
        await api.FollowAsync(viewer, friend);
        var expected = new List<long>();
        expected.Add(await api.CreatePostAsync(friend, "old friend post"));
        expected.Add(await api.CreatePostAsync(other, "old other post"));
        await api.CreatePostAsync(viewer, "my own old post");
        server.Clock.Advance(TimeSpan.FromDays(10));
        expected.Add(await api.CreatePostAsync(friend, "friend post"));
        expected.Add(await api.CreatePostAsync(other, "other post"));
        await api.CreatePostAsync(viewer, "my own post");

        for (var round = 0; round < 3; round++)
        {
            var page = await (await api.GetAsync("/api/fyp", viewer.Token)).ShouldBe(HttpStatusCode.OK);
            var ids = page.GetProperty("posts").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(expected.Order(), ids.Order());
        }
    }
}
