using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Posts;

public sealed class VoteTestsOnSqlite(SqliteServer server) : VoteTests(server), IClassFixture<SqliteServer>;

public sealed class VoteTestsOnPostgres(PostgresServer server) : VoteTests(server), IClassFixture<PostgresServer>;

/// <summary>vote_post: seed 001's step, the original's order of refusals, switching, withdrawing, exact counts under concurrency.</summary>
public abstract class VoteTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private async Task ShouldCountAsync(long postId, TestUser author, long up, long down, long authorUp, long authorDown)
    {
        var post = await Api.PostAsync(postId);
        Assert.Equal((up, down), (post.GetProperty("upvotes").GetInt64(), post.GetProperty("downvotes").GetInt64()));
        (await Api.StatsAsync(author)).ShouldHaveStats(0, 0, (await Api.StatsAsync(author)).GetProperty("posts").GetInt64(), authorUp, authorDown);
    }

    [Fact]
    public async Task Seed_001_vote_step_then_switching_and_withdrawing_move_post_and_profile_counts()
    {
        var author = await Api.NewUserAsync("auth");
        var voter = await Api.NewUserAsync("voter");
        var postId = await Api.CreatePostAsync(author, "vote on me");

        var counted = await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "up" }, voter.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("vote counted", counted.Str("message"));
        await ShouldCountAsync(postId, author, 1, 0, 1, 0);

        await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "up" }, voter.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "already voted this way");
        await ShouldCountAsync(postId, author, 1, 0, 1, 0);

        await Api.VoteAsync(voter, postId, "down");
        await ShouldCountAsync(postId, author, 0, 1, 0, 1);
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "DOWN" }, voter.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "already voted this way");

        var removed = await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "none" }, voter.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("vote removed", removed.Str("message"));
        await ShouldCountAsync(postId, author, 0, 0, 0, 0);
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "none" }, voter.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "you have not voted on this post");

        // post_id as a string works too, as the original's clients sometimes send it.
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId.ToString(System.Globalization.CultureInfo.InvariantCulture), vote_type = "up" }, voter.Token))
            .ShouldBe(HttpStatusCode.OK);
        await ShouldCountAsync(postId, author, 1, 0, 1, 0);
        (await Api.StatsAsync(voter)).ShouldHaveStats(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Refusals_come_in_the_original_order()
    {
        var author = await Api.NewUserAsync();
        var voter = await Api.NewUserAsync();
        var postId = await Api.CreatePostAsync(author, "mine");
        const long unknown = 987654321;

        await (await Api.PostAsync("/api/vote_post", new { vote_type = "up" }, voter.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing post_id or vote_type");
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId }, voter.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing post_id or vote_type");
        await (await Api.PostAsync("/api/vote_post", new { post_id = unknown, vote_type = "sideways" }, voter.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "you can only upvote or downvote");
        await (await Api.PostAsync("/api/vote_post", new { post_id = unknown, vote_type = "up" }, voter.Token)).ShouldFail(HttpStatusCode.NotFound, "post not found");
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "up" }, author.Token))
            .ShouldFail(HttpStatusCode.Forbidden, "cannot vote on your own post");
        await (await Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "up" })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.PostRawAsync("/api/vote_post", "{\"post_id\": \"abc\", \"vote_type\": \"up\"}", token: voter.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'post_id'");
        await ShouldCountAsync(postId, author, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Counts_are_exact_after_200_concurrent_votes_from_50_users()
    {
        var authors = await Task.WhenAll(Api.NewUserAsync("a1"), Api.NewUserAsync("a2"));
        var posts = new[]
        {
            await Api.CreatePostAsync(authors[0], "p1"), await Api.CreatePostAsync(authors[0], "p2"),
            await Api.CreatePostAsync(authors[1], "p3"), await Api.CreatePostAsync(authors[1], "p4"),
        };
        var voters = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Api.NewUserAsync("v")));
        static string Direction(int voter, int post) => (voter + post) % 3 == 0 ? "down" : "up";

        // Round 1: every voter votes on every post at once (200 requests).
        var first = await Task.WhenAll(voters.SelectMany((v, i) => posts.Select((p, j) =>
            Api.PostAsync("/api/vote_post", new { post_id = p, vote_type = Direction(i, j) }, v.Token))));
        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await AssertExactAsync(authors, posts, (i, j) => Direction(i, j) == "up" ? 1 : -1);

        // Round 2 (200 more): each voter flips post 1, withdraws post 2, repeats post 3 (refused), flips post 4.
        string[] Round2(int i) => [Direction(i, 0) == "up" ? "down" : "up", "none", Direction(i, 2), Direction(i, 3) == "up" ? "down" : "up"];
        var second = await Task.WhenAll(voters.SelectMany((v, i) => posts.Select((p, j) =>
            Api.PostAsync("/api/vote_post", new { post_id = p, vote_type = Round2(i)[j] }, v.Token))));
        Assert.Equal(150, second.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(50, second.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        await AssertExactAsync(authors, posts, (i, j) => j switch
        {
            1 => 0,
            2 => Direction(i, j) == "up" ? 1 : -1,
            _ => Direction(i, j) == "up" ? -1 : 1,
        });

        async Task AssertExactAsync(TestUser[] owners, long[] ids, Func<int, int, int> finalVote)
        {
            var expected = ids.Select((_, j) => (
                Up: Enumerable.Range(0, 50).Count(i => finalVote(i, j) == 1),
                Down: Enumerable.Range(0, 50).Count(i => finalVote(i, j) == -1))).ToList();
            for (var j = 0; j < ids.Length; j++)
            {
                var post = await Api.PostAsync(ids[j]);
                Assert.Equal(expected[j], (post.GetProperty("upvotes").GetInt32(), post.GetProperty("downvotes").GetInt32()));
            }
            for (var a = 0; a < owners.Length; a++)
            {
                var stats = await Api.StatsAsync(owners[a]);
                Assert.Equal(expected[2 * a].Up + expected[(2 * a) + 1].Up, stats.GetProperty("upvotes").GetInt32());
                Assert.Equal(expected[2 * a].Down + expected[(2 * a) + 1].Down, stats.GetProperty("downvotes").GetInt32());
            }
        }
    }

    [Fact]
    public async Task Racing_votes_of_one_user_count_once()
    {
        var author = await Api.NewUserAsync();
        var voter = await Api.NewUserAsync();
        var postId = await Api.CreatePostAsync(author, "race");
        var same = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = "up" }, voter.Token)));
        Assert.Equal(1, same.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, same.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        await ShouldCountAsync(postId, author, 1, 0, 1, 0);

        // Opposite votes racing: whatever order they commit in, the counters match the one vote that remains.
        var mixed = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Api.PostAsync("/api/vote_post", new { post_id = postId, vote_type = i % 2 == 0 ? "down" : "up" }, voter.Token)));
        Assert.All(mixed, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest));
        var post = await Api.PostAsync(postId);
        var (up, down) = (post.GetProperty("upvotes").GetInt64(), post.GetProperty("downvotes").GetInt64());
        Assert.Equal(1, up + down);
        await ShouldCountAsync(postId, author, up, down, up, down);
    }
}
