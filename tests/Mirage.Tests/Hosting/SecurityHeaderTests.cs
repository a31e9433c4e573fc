using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

/// <summary>Real Kestrel (it writes the Server header), with one allowed browser origin.</summary>
public sealed class CorsKestrelServer : KestrelSqliteServer
{
    public const string AllowedOrigin = "https://app.example";

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:Cors:AllowedOrigins:0", AllowedOrigin)];
}

/// <summary>Every answer carries the protective headers, authenticated ones are never stored, CORS answers vary by Origin.</summary>
public sealed class SecurityHeaderTests(CorsKestrelServer server) : IClassFixture<CorsKestrelServer>
{
    private MirageClient Api => server.Client;

    private static void AssertProtected(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", $"{what}: nosniff");
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", $"{what}: Referrer-Policy");
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frames) && frames.Single() == "DENY", $"{what}: X-Frame-Options");
        Assert.False(response.Headers.Contains("Server"), $"{what}: Server {string.Join(",", response.Headers.Server)}");
        Assert.False(response.Headers.Contains("Content-Security-Policy"), $"{what}: no global CSP");
    }

    [Fact]
    public async Task Answers_errors_and_unknown_paths_all_carry_the_headers()
    {
        var user = await Api.NewUserAsync();
        AssertProtected(await Api.GetAsync("/api/ping"), "ping");
        AssertProtected(await Api.GetAsync("/api/no_such_thing"), "404");
        AssertProtected(await Api.GetAsync("/v1/users/me"), "401");
        AssertProtected(await Api.GetAsync("/v1/users/me", user.Token, bearer: true), "authenticated");
        AssertProtected(await Api.GetAsync("/healthz"), "health");
    }

    [Fact]
    public async Task Authenticated_answers_and_logins_are_never_stored()
    {
        var user = await Api.NewUserAsync();
        foreach (var response in new[]
        {
            await Api.GetAsync("/v1/users/me", user.Token, bearer: true),
            await Api.GetAsync("/api/inbox", user.Token),
            await Api.PostAsync("/api/login", new { username = user.Username, password = user.Password }),
            await Api.GetAsync($"/api/user/{user.Username}", user.Token),
        })
        {
            Assert.True(response.Headers.CacheControl?.NoStore == true, $"{response.RequestMessage!.RequestUri}: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Cors_answers_vary_by_origin_whether_or_not_the_origin_is_allowed()
    {
        foreach (var origin in new[] { CorsKestrelServer.AllowedOrigin, "https://evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ping");
            request.Headers.Add("Origin", origin);
            var response = await Api.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Origin", response.Headers.Vary);
            Assert.Equal(origin == CorsKestrelServer.AllowedOrigin, response.Headers.Contains("Access-Control-Allow-Origin"));
        }
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/login");
        preflight.Headers.Add("Origin", CorsKestrelServer.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var answer = await Api.Http.SendAsync(preflight);
        Assert.Contains("Origin", answer.Headers.Vary);
    }
}
