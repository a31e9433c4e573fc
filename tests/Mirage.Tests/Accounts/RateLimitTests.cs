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

    [Fact]
    public async Task Login_and_registration_have_separate_buckets_per_address()
    {
        const string address = "10.7.0.1";
        var names = Enumerable.Range(0, 3).Select(_ => MirageClient.UniqueName("b")).ToList();
        foreach (var name in names)
        {
            Assert.Equal(HttpStatusCode.Created, (await server.RegisterFromAsync(address, name)).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.RegisterFromAsync(address, MirageClient.UniqueName("b"))).Status);
        // A burst of sign-ups from a shared address does not block its logins.
        Assert.Equal(HttpStatusCode.OK, (await server.LoginFromAsync(address, names[0], MirageClient.Password)).Status);
        // And another address has buckets of its own.
        Assert.Equal(HttpStatusCode.Created, (await server.RegisterFromAsync("10.7.0.2", MirageClient.UniqueName("b"))).Status);
    }
}
