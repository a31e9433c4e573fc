using System.Globalization;
using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Feed;

public sealed class FypTestsOnSqlite(SqliteServer server) : FypTests(server), IClassFixture<SqliteServer>;

public sealed class FypTestsOnPostgres(PostgresServer server) : FypTests(server), IClassFixture<PostgresServer>;

/// <summary>
/// The For-You page measured on a data set built through the API with the clock moved between "archive" and
/// "recent" posts (the recent window is 3 days). A post is counted as followed (author followed), archive
/// (older than the window) or global (the rest).
/// </summary>
public abstract class FypTests(MirageServer server)
{
    private static readonly TimeSpan RecentWindow = TimeSpan.FromDays(3);
    private static readonly TimeSpan CandidateCacheDuration = TimeSpan.FromSeconds(10);

    private MirageClient Api => server.Client;

    private sealed record Pools(int Followed, int Global, int Archive);

    private async Task<TestUser[]> UsersWithPostsAsync(string prefix, int users, int postsEach)
    {
        var authors = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => Api.NewUserAsync(prefix)));
        foreach (var author in authors)
        {
            for (var i = 0; i < postsEach; i++)
            {
                await Api.CreatePostAsync(author, $"{prefix} post {i} by {author.Username}");
            }
        }
        return authors;
    }

    private async Task<List<JsonElement>> FypAsync(TestUser viewer)
    {
        var body = await (await Api.GetAsync("/api/fyp", viewer.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("trending_topics").ValueKind);
        return body.GetProperty("posts").EnumerateArray().ToList();
    }

    private Pools Classify(IReadOnlyList<JsonElement> posts, TestUser viewer, IEnumerable<TestUser> followed)
    {
        var followedNames = followed.Select(f => f.Username).ToHashSet();
        var archiveBefore = server.Clock.GetUtcNow() - RecentWindow;
        Assert.Equal(posts.Count, posts.Select(p => p.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.DoesNotContain(posts, p => p.Str("username") == viewer.Username);
        var kinds = posts.Select(p =>
            DateTimeOffset.Parse(p.Str("created_at"), CultureInfo.InvariantCulture) < archiveBefore ? "archive"
            : followedNames.Contains(p.Str("username")) ? "followed" : "global").ToList();
        return new Pools(kinds.Count(k => k == "followed"), kinds.Count(k => k == "global"), kinds.Count(k => k == "archive"));
    }

    [Fact]
    public async Task A_users_candidates_are_reused_for_a_while_then_read_again()
    {
        var viewer = await Api.NewUserAsync("cached");
        var friend = await Api.NewUserAsync("friend");
        await Api.FollowAsync(viewer, friend);
        var first = await Api.CreatePostAsync(friend, "first friend post");
        Assert.Contains(first, Ids(await FypAsync(viewer)));

        // Within the cache period the page is sampled from the pools read above; after it, they are read again.
        var second = await Api.CreatePostAsync(friend, "second friend post");
        var cached = Ids(await FypAsync(viewer));
        Assert.Contains(first, cached);
        Assert.DoesNotContain(second, cached);
        server.Clock.Advance(CandidateCacheDuration + TimeSpan.FromSeconds(1));
        Assert.Contains(second, Ids(await FypAsync(viewer)));
    }

    private static List<long> Ids(IEnumerable<JsonElement> posts) => posts.Select(p => p.GetProperty("id").GetInt64()).ToList();

    [Fact]
    public async Task A_full_page_is_12_followed_12_global_6_archive_without_duplicates_or_own_posts()
    {
        var viewer = await Api.NewUserAsync("viewer");
        await UsersWithPostsAsync("old", users: 2, postsEach: 8);
        await Api.CreatePostAsync(viewer, "my old post");
        server.Clock.Advance(RecentWindow + TimeSpan.FromDays(1));
        var followed = await UsersWithPostsAsync("fol", users: 3, postsEach: 8);
        foreach (var user in followed)
        {
            await Api.FollowAsync(viewer, user);
        }
        await UsersWithPostsAsync("glob", users: 3, postsEach: 8);
        await Api.CreatePostAsync(viewer, "my new post");

        var firstIds = new HashSet<long>();
        for (var round = 0; round < 5; round++)
        {
            var posts = await FypAsync(viewer);
            Assert.Equal(30, posts.Count);
            var pools = Classify(posts, viewer, followed);
            Assert.InRange(pools.Followed, 11, 13);
            Assert.InRange(pools.Global, 11, 13);
            Assert.InRange(pools.Archive, 5, 7);
            firstIds.Add(posts[0].GetProperty("id").GetInt64());
        }
        // The shuffle varies the page: five requests do not all open with the same post.
        Assert.True(firstIds.Count > 1, "the first post was the same on every request");
    }

    [Fact]
    public async Task Short_pools_are_filled_from_the_others_and_following_nobody_still_gives_a_feed()
    {
        var sparse = await Api.NewUserAsync("sparse");
        var loner = await Api.NewUserAsync("loner");
        await UsersWithPostsAsync("old", users: 2, postsEach: 10);
        server.Clock.Advance(RecentWindow + TimeSpan.FromDays(1));
        var quiet = await UsersWithPostsAsync("quiet", users: 1, postsEach: 3);
        await Api.FollowAsync(sparse, quiet[0]);
        await UsersWithPostsAsync("busy", users: 3, postsEach: 8);

        var sparsePage = await FypAsync(sparse);
        Assert.Equal(30, sparsePage.Count);
        var sparsePools = Classify(sparsePage, sparse, quiet);
        Assert.Equal(3, sparsePools.Followed);
        Assert.True(sparsePools.Global >= 12 && sparsePools.Archive >= 6, $"{sparsePools}");

        var lonerPage = await FypAsync(loner);
        Assert.Equal(30, lonerPage.Count);
        var lonerPools = Classify(lonerPage, loner, []);
        Assert.Equal(0, lonerPools.Followed);
        Assert.True(lonerPools.Global >= 12 && lonerPools.Archive >= 6, $"{lonerPools}");
    }

    [Fact]
    public async Task Every_stretch_of_the_page_mixes_the_pools()
    {
        var viewer = await Api.NewUserAsync("mix");
        await UsersWithPostsAsync("old", users: 2, postsEach: 8);
        server.Clock.Advance(RecentWindow + TimeSpan.FromDays(1));
        var followed = await UsersWithPostsAsync("fol", users: 2, postsEach: 10);
        foreach (var user in followed)
        {
            await Api.FollowAsync(viewer, user);
        }
        await UsersWithPostsAsync("glob", users: 2, postsEach: 10);
        for (var round = 0; round < 3; round++)
        {
            var posts = await FypAsync(viewer);
            Assert.Equal(30, posts.Count);
            for (var third = 0; third < 3; third++)
            {
                var pools = Classify(posts.Skip(third * 10).Take(10).ToList(), viewer, followed);
                Assert.True(pools.Followed >= 2 && pools.Global >= 2 && pools.Archive >= 1, $"third {third}: {pools}");
            }
        }
    }

    [Fact]
    public async Task Home_feed_pages_through_a_busy_and_a_quiet_author_without_skipping_either()
    {
        var viewer = await Api.NewUserAsync("home");
        var busy = await Api.NewUserAsync("busy");
        var quiet = await Api.NewUserAsync("quiet");
        await Api.FollowAsync(viewer, busy);
        await Api.FollowAsync(viewer, quiet);
        var expected = new List<long> { await Api.CreatePostAsync(quiet, "long ago") };
        for (var i = 0; i < 5; i++)
        {
            expected.Add(await Api.CreatePostAsync(busy, $"busy {i}"));
            if (i == 2)
            {
                expected.Add(await Api.CreatePostAsync(viewer, "mine"));
            }
        }
        expected.Add(await Api.CreatePostAsync(quiet, "again"));
        expected.Reverse();

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await Api.GetAsync($"/v1/feed?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", viewer.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("posts").EnumerateArray().Select(p => long.Parse(p.Str("id")["post_".Length..], CultureInfo.InvariantCulture)));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.Str("next_cursor");
        }
        while (cursor is not null && seen.Count < 20);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Home_feed_has_followed_users_and_own_posts_newest_first_with_a_cursor()
    {
        var viewer = await Api.NewUserAsync("home");
        var friend = await Api.NewUserAsync("friend");
        var stranger = await Api.NewUserAsync("stranger");
        await Api.FollowAsync(viewer, friend);
        var expected = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            expected.Add(await Api.CreatePostAsync(friend, $"friend {i}"));
            await Api.CreatePostAsync(stranger, $"stranger {i}");
            expected.Add(await Api.CreatePostAsync(viewer, $"mine {i}"));
        }
        expected.Reverse();

        var first = await (await Api.GetAsync("/v1/feed?limit=4", viewer.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var rest = await (await Api.GetAsync($"/v1/feed?limit=4&cursor={first.Str("next_cursor")}", viewer.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var ids = first.GetProperty("posts").EnumerateArray().Concat(rest.GetProperty("posts").EnumerateArray())
            .Select(p => long.Parse(p.Str("id")["post_".Length..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected, ids);
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
        await (await Api.GetAsync("/v1/feed")).ShouldFail(HttpStatusCode.Unauthorized);
        await (await Api.GetAsync("/api/fyp")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
