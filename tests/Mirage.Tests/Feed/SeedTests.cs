using System.Net;
using Dapper;
using Mirage.Data;
using Mirage.Seeding;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Feed;

public sealed class SeedTestsOnSqlite(SqliteServer server) : SeedTests(server), IClassFixture<SqliteServer>;

public sealed class SeedTestsOnPostgres(PostgresServer server) : SeedTests(server), IClassFixture<PostgresServer>;

/// <summary>The data generator leaves every counter as the server would, and its users can log in and use the feed.</summary>
public abstract partial class SeedTests(MirageServer server)
{
    private static readonly string PasswordHash =
        new Microsoft.AspNetCore.Identity.PasswordHasher<Mirage.Accounts.UserRow>().HashPassword(new(), SeedOptions.Password);

    private static SeedProgress Quiet => new(TextWriter.Null, interactive: false);

    private async Task<ISeedWriter> OpenWriterAsync(SeedOptions options) => server.Database switch
    {
        SqliteDatabase sqlite => await SqliteSeedWriter.OpenAsync(sqlite, options.BatchSize),
        PostgresDatabase postgres => await PostgresSeedWriter.OpenAsync(postgres.DataSource),
        _ => throw new InvalidOperationException(),
    };

    [Fact]
    public async Task Seeded_data_is_consistent_reproducible_and_usable()
    {
        var (options, _) = SeedOptions.Parse(["--users", "60", "--posts", "600", "--votes", "1500", "--replies", "200", "--prefix", "sd", "--batch", "100"]);
        await using var writer = await OpenWriterAsync(options);
        var ids = await writer.MaxIdsAsync();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var plan = new SeedPlan(options, ids, now);
        Assert.Equal(plan.PostContent(17, plan.Post(17)), new SeedPlan(options, ids, now).PostContent(17, plan.Post(17)));
        await new Seeder(plan, writer, Quiet, PasswordHash).RunAsync();
        Assert.True(await writer.AnyUsernameStartsWithAsync("sd"));

        var mismatches = await server.Database.ReadAsync(async db =>
        {
            var posts = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM posts p WHERE p.upvotes <> (SELECT COUNT(*) FROM post_votes v WHERE v.post_id = p.id AND v.value = 1)
                   OR p.downvotes <> (SELECT COUNT(*) FROM post_votes v WHERE v.post_id = p.id AND v.value = -1)
                   OR p.reply_count <> (SELECT COUNT(*) FROM replies r WHERE r.post_id = p.id)
                """);
            var users = await db.Connection.ExecuteScalarAsync<long>("""
                SELECT COUNT(*) FROM users u WHERE u.followers_count <> (SELECT COUNT(*) FROM follows WHERE followee_id = u.id)
                   OR u.following_count <> (SELECT COUNT(*) FROM follows WHERE follower_id = u.id)
                   OR u.posts_count <> (SELECT COUNT(*) FROM posts WHERE user_id = u.id) + (SELECT COUNT(*) FROM replies WHERE user_id = u.id)
                   OR u.upvotes <> (SELECT COALESCE(SUM(upvotes), 0) FROM posts WHERE user_id = u.id)
                   OR u.downvotes <> (SELECT COALESCE(SUM(downvotes), 0) FROM posts WHERE user_id = u.id)
                """);
            var ownVotes = await db.Connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM post_votes v JOIN posts p ON p.id = v.post_id WHERE v.user_id = p.user_id");
            return (posts, users, ownVotes);
        });
        Assert.Equal((0L, 0L, 0L), mismatches);

        // Seeded users log in with the documented password and the server keeps writing after the seeded ids.
        var api = server.Client;
        var token = await api.LoginAsync("sd1", SeedOptions.Password);
        var user = new TestUser("sd1", "sd1@mirage.invalid", SeedOptions.Password, token);
        var fyp = await (await api.GetAsync("/api/fyp", token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(30, fyp.GetProperty("posts").GetArrayLength());
        Assert.NotEmpty(fyp.GetProperty("trending_topics").EnumerateArray());
        Assert.True(await api.CreatePostAsync(user, "after the seed") > plan.PostId(options.Posts - 1));
    }
}
