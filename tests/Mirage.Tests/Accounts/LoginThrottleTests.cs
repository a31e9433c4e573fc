using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class FiveFailuresServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:RateLimits:LoginFailuresPerAccount", "5"), new("Mirage:RateLimits:LoginFailureWindow", "00:15:00")];
}

/// <summary>
/// Wrong passwords against one account from ever new addresses are limited per account, and the limit cannot
/// lock the owner out: from an address the account has logged in from, the right password still gets in.
/// </summary>
public sealed class LoginThrottleTests(FiveFailuresServer server) : IClassFixture<FiveFailuresServer>
{
    [Fact]
    public async Task Guessing_from_rotating_addresses_stops_while_the_owner_still_logs_in()
    {
        var owner = await server.Client.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.LoginFromAsync("10.0.0.1", owner.Username, owner.Password)).Status);

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.LoginFromAsync($"10.9.0.{i}", owner.Username, "not the password")).Status);
        }
        var refused = await server.LoginFromAsync("10.9.0.6", owner.Username, "not the password");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.NotNull(refused.RetryAfter);
        // Even a right guess from a new address is not tried: the limit stops guessing, not only wrong guesses.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.LoginFromAsync("10.9.0.7", owner.Username, owner.Password)).Status);

        Assert.Equal(HttpStatusCode.OK, (await server.LoginFromAsync("10.0.0.1", owner.Username, owner.Password)).Status);

        // Other accounts are untouched, and the account opens to every address once the window has passed.
        var other = await server.Client.NewUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.LoginFromAsync("10.9.0.8", other.Username, other.Password)).Status);
        server.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, (await server.LoginFromAsync("10.9.0.9", owner.Username, owner.Password)).Status);
    }
}

public sealed class ThreeRegistrationsServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Mirage:RateLimits:RegistrationsPerHour", "3")];
}

/// <summary>Registrations have an overall cap, whatever addresses they come from.</summary>
public sealed class RegistrationCapTests(ThreeRegistrationsServer server) : IClassFixture<ThreeRegistrationsServer>
{
    [Fact]
    public async Task Registrations_from_many_addresses_share_one_overall_cap()
    {
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await server.RegisterFromAsync($"10.8.0.{i}", MirageClient.UniqueName("r"))).Status);
        }
        var refused = await server.RegisterFromAsync("10.8.0.4", MirageClient.UniqueName("r"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.NotNull(refused.RetryAfter);
    }
}
