using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Feed;

public sealed class TrendingTestsOnSqlite(SqliteServer server) : TrendingTests(server), IClassFixture<SqliteServer>;

public sealed class TrendingTestsOnPostgres(PostgresServer server) : TrendingTests(server), IClassFixture<PostgresServer>;

/// <summary>Trending topics on a crafted set: counts per post, case-insensitive, ties by recency, top 10, a 24 h window.</summary>
public abstract class TrendingTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private async Task PostAsync(TestUser user, string content)
    {
        await Api.CreatePostAsync(user, content);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Trending_counts_recent_posts_per_tag_case_insensitively_ties_by_recency_top_10()
    {
        var a = await Api.NewUserAsync("ta");
        var b = await Api.NewUserAsync("tb");
        for (var i = 0; i < 12; i++)
        {
            await PostAsync(a, "#old news");
        }
        server.Clock.Advance(TimeSpan.FromHours(25));

        await PostAsync(a, "#gamma first");
        await PostAsync(b, "#Gamma again");
        foreach (var variant in new[] { "#alpha", "#ALPHA", "#Alpha", "#aLpHa", "#alpha!" })
        {
            await PostAsync(variant.Length % 2 == 0 ? a : b, $"{variant} is here");
        }
        await PostAsync(a, "#beta #beta #Beta counts once in one post");
        await PostAsync(b, "#beta");
        await PostAsync(a, "x #beta");
        await PostAsync(b, "#delta");
        for (var i = 1; i <= 8; i++)
        {
            await PostAsync(i % 2 == 0 ? a : b, $"single #t{i}");
        }
        await PostAsync(a, "#delta last of the ties");
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        string[] expected = ["#alpha", "#beta", "#delta", "#gamma", "#t8", "#t7", "#t6", "#t5", "#t4", "#t3"];
        var fyp = await (await Api.GetAsync("/api/fyp", a.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(expected, fyp.GetProperty("trending_topics").EnumerateArray().Select(t => t.GetString()));

        var v1 = await (await Api.GetAsync("/v1/trending", a.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var topics = v1.GetProperty("topics").EnumerateArray().ToList();
        Assert.Equal(expected.Select(t => t[1..]), topics.Select(t => t.Str("tag")));
        Assert.Equal([5, 3, 2, 2, 1, 1, 1, 1, 1, 1], topics.Select(t => t.GetProperty("posts").GetInt32()));

        var wider = await (await Api.GetAsync("/v1/trending?hours=48", a.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var first = wider.GetProperty("topics").EnumerateArray().First();
        Assert.Equal(("old", 12), (first.Str("tag"), first.GetProperty("posts").GetInt32()));

        await (await Api.GetAsync("/v1/trending?hours=0", a.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "hours must be between 1 and 168");
        await (await Api.GetAsync("/v1/trending?hours=169", a.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "hours must be between 1 and 168");

        // A day later nothing is recent any more.
        server.Clock.Advance(TimeSpan.FromHours(25));
        var later = await (await Api.GetAsync("/api/fyp", a.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(later.GetProperty("trending_topics").EnumerateArray());
    }
}
