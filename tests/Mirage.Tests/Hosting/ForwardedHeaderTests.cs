using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

/// <summary>Two login attempts per address per minute, behind a proxy on loopback (the test client) that Mirage knows.</summary>
public sealed class KnownProxyServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:RateLimits:AuthPermitsPerMinute", "2"), new("Mirage:ForwardedHeaders:KnownProxies:0", "127.0.0.1")];
}

/// <summary>The same limit, with no proxy configured: X-Forwarded-For is anybody's to send.</summary>
public sealed class NoProxyServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Mirage:RateLimits:AuthPermitsPerMinute", "2")];
}

internal static class ForwardedLogins
{
    public static async Task<HttpStatusCode> LoginForwardedForAsync(this MirageServer server, string client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = "nobody_here", password = "whatever1" }),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        return (await server.Client.Http.SendAsync(request)).StatusCode;
    }
}

/// <summary>Behind a known proxy the rate limits see each client's address; elsewhere X-Forwarded-For changes nothing.</summary>
public sealed class KnownProxyTests(KnownProxyServer server) : IClassFixture<KnownProxyServer>
{
    [Fact]
    public async Task Each_client_behind_a_known_proxy_has_its_own_bucket()
    {
        Assert.Equal(HttpStatusCode.NotFound, await server.LoginForwardedForAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.NotFound, await server.LoginForwardedForAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await server.LoginForwardedForAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.NotFound, await server.LoginForwardedForAsync("203.0.113.2"));
    }
}

public sealed class UnknownProxyTests(NoProxyServer server) : IClassFixture<NoProxyServer>
{
    [Fact]
    public async Task Forwarded_addresses_from_an_unknown_peer_are_ignored()
    {
        Assert.Equal(HttpStatusCode.NotFound, await server.LoginForwardedForAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.NotFound, await server.LoginForwardedForAsync("203.0.113.2"));
        // A third address of the client's own choosing does not buy it a new bucket.
        Assert.Equal(HttpStatusCode.TooManyRequests, await server.LoginForwardedForAsync("203.0.113.3"));
    }
}
