using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Feed;

public sealed class FypYoungTestsOnSqlite(SqliteServer server) : FypYoungTests(server), IClassFixture<SqliteServer>;

public sealed class FypYoungTestsOnPostgres(PostgresServer server) : FypYoungTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// A community younger than the recent window (every post is from today): the archive is the oldest part of what
/// exists, a fifth of it, so the page is still 12 followed + 12 others + 6 archive, not 15 + 15.
/// </summary>
public abstract class FypYoungTests(MirageServer server)
{
    [Fact]
    public async Task The_blend_holds_from_the_first_day()
    {
        var api = server.Client;
        var viewer = await api.NewUserAsync("viewer");
        var friends = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.NewUserAsync("fr")));
        var others = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => api.NewUserAsync("ot")));
        foreach (var friend in friends)
        {
            await api.FollowAsync(viewer, friend);
        }
        var ids = new List<long>();
        for (var round = 0; round < 10; round++)
        {
            foreach (var author in friends.Concat(others))
            {
                ids.Add(await api.CreatePostAsync(author, $"post {round} by {author.Username}"));
                server.Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }
        // 60 posts within an hour: the oldest fifth (12, both kinds) is the archive.
        var archiveEnd = ids.Min() + (ids.Max() - ids.Min() + 1) / 5;
        var friendNames = friends.Select(f => f.Username).ToHashSet();

        for (var request = 0; request < 3; request++)
        {
            var page = await (await api.GetAsync("/api/fyp", viewer.Token)).ShouldBe(HttpStatusCode.OK);
            var posts = page.GetProperty("posts").EnumerateArray()
                .Select(p => (Id: p.GetProperty("id").GetInt64(), Author: p.Str("username"))).ToList();
            Assert.Equal(30, posts.Select(p => p.Id).Distinct().Count());
            var archive = posts.Count(p => p.Id < archiveEnd);
            var followed = posts.Count(p => p.Id >= archiveEnd && friendNames.Contains(p.Author));
            var global = posts.Count(p => p.Id >= archiveEnd && !friendNames.Contains(p.Author));
            Assert.Equal((12, 12, 6), (followed, global, archive));
        }
    }
}
