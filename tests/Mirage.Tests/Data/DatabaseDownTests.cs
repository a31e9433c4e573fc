using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Posts;
using Npgsql;

namespace Mirage.Tests.Data;

/// <summary>PostgreSQL reached through a relay the test can cut.</summary>
public sealed class CuttablePostgresServer : PostgresServer
{
    private TcpProxy? proxy;

    public TcpProxy Proxy => proxy ?? throw new InvalidOperationException("not started");

    protected override NpgsqlConnectionStringBuilder ServerConnectionString(NpgsqlConnectionStringBuilder direct)
    {
        proxy = new TcpProxy(direct.Host!, direct.Port);
        direct.Host = "127.0.0.1";
        direct.Port = proxy.Port;
        direct.Timeout = 3; // seconds to connect: a cut database answers fast either way
        return direct;
    }

    public override async ValueTask DisposeAsync()
    {
        proxy?.Restore();
        await base.DisposeAsync();
        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }
    }
}

/// <summary>While the database is down, requests get a 503 with Retry-After in the surface's error shape, not a 500.</summary>
public sealed class DatabaseDownTests(CuttablePostgresServer server) : IClassFixture<CuttablePostgresServer>
{
    [Fact]
    public async Task Requests_answer_503_with_retry_after_while_the_database_is_down_and_work_again_after()
    {
        var api = server.Client;
        var user = await api.NewUserAsync();
        await api.CreatePostAsync(user, "before");

        server.Proxy.Cut();
        try
        {
            foreach (var response in new[]
            {
                await api.GetAsync($"/api/get_posts/{user.Username}"),
                await api.PostAsync("/api/create_post", new { content = "during" }, user.Token),
                await api.PostAsync("/api/login", new { username = user.Username, password = user.Password }),
            })
            {
                Assert.True(response.Headers.RetryAfter is not null, $"{response.RequestMessage!.RequestUri}: no Retry-After");
                await response.ShouldFail(HttpStatusCode.ServiceUnavailable);
            }
            var v1 = await api.GetAsync("/v1/users/me", user.Token, bearer: true);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, v1.StatusCode);
            Assert.Equal("application/problem+json", v1.ContentType()?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await api.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            server.Proxy.Restore();
        }
        NpgsqlConnection.ClearAllPools();
        await api.CreatePostAsync(user, "after");
    }
}
