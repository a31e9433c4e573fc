using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class TwoMinuteLoginWindowServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Mirage:Auth:RecentLoginWindow", "00:02:00")];
}

/// <summary><c>Mirage:Auth:RecentLoginWindow</c> decides, and its error says the configured window, not a fixed "15 minutes".</summary>
public sealed class RecentLoginWindowTests(TwoMinuteLoginWindowServer server) : IClassFixture<TwoMinuteLoginWindowServer>
{
    [Fact]
    public async Task The_configured_window_applies_and_is_named_in_the_error()
    {
        var api = server.Client;
        var user = await api.NewUserAsync();
        server.Clock.Advance(TimeSpan.FromSeconds(90));
        var fresh = $"fresh_{Guid.NewGuid():N}@example.com";
        await (await api.PostAsync("/api/user/settings", new { email = fresh }, user.Token)).ShouldBe(HttpStatusCode.OK);

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await api.PostAsync("/api/user/settings", new { email = $"late_{fresh}" }, user.Token)).ShouldFail(HttpStatusCode.Forbidden,
            "changing email or password needs current_password (or a login in the last 2 minutes)");
    }
}
