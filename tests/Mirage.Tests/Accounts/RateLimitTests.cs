using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class LowRateLimitServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:RateLimits:AuthPermitsPerMinute", "3")];
}

public sealed class RateLimitTests(LowRateLimitServer server) : IClassFixture<LowRateLimitServer>
{
    [Fact]
    public async Task Login_and_register_are_rate_limited_per_client_with_a_json_429()
    {
        var api = server.Client;
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await api.PostAsync("/api/login", new { username = "nobody_here", password = "whatever1" });
        }
        await last!.ShouldFail(HttpStatusCode.TooManyRequests);
        Assert.NotNull(last!.Headers.RetryAfter);
        // Other endpoints are not limited.
        await (await api.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
