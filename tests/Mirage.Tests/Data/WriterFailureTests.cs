using System.Diagnostics;
using System.Net;
using Mirage.Data;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;

namespace Mirage.Tests.Data;

/// <summary>
/// The SQLite writer failing outside any write (its loop, not a request's SQL) used to end its thread, and every
/// later write then hung. Now writes fail at once with a 503 and Retry-After, /healthz says so, and the writer
/// comes back by itself.
/// </summary>
public sealed class WriterFailureTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task A_failed_writer_refuses_writes_with_503_shows_in_health_and_restarts()
    {
        var user = await Api.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync("/healthz")).StatusCode);
        var database = (SqliteDatabase)server.Database;
        database.BeforeBatch = () => throw new InvalidOperationException("injected writer failure");
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                var post = await Api.PostAsync("/api/create_post", new { content = "while down" }, user.Token).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the write took {clock.Elapsed}");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
                Assert.True(post.Headers.RetryAfter is not null, "no Retry-After");
                await post.ShouldFail(HttpStatusCode.ServiceUnavailable);
            }
            var v1 = await Api.PostAsync("/v1/posts", new { content = "v1 while down" }, user.Token, bearer: true);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, v1.StatusCode);
            Assert.Equal("application/problem+json", v1.ContentType()?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Api.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            database.BeforeBatch = null;
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        HttpResponseMessage created;
        do
        {
            await Task.Delay(100);
            created = await Api.PostAsync("/api/create_post", new { content = "back again" }, user.Token);
        }
        while (created.StatusCode != HttpStatusCode.Created && DateTime.UtcNow < deadline);
        await created.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync("/healthz")).StatusCode);
        Assert.Contains("back again", (await (await Api.GetAsync($"/api/get_posts/{user.Username}")).ShouldBe(HttpStatusCode.OK)).ToString(), StringComparison.Ordinal);
    }
}
