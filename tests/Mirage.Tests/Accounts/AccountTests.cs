using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class AccountTestsOnSqlite(SqliteServer server) : AccountTests(server), IClassFixture<SqliteServer>;

public sealed class AccountTestsOnPostgres(PostgresServer server) : AccountTests(server), IClassFixture<PostgresServer>;

/// <summary>Register, login, logout, profiles: the seed 001 walk-through and every documented error.</summary>
public abstract class AccountTests(MirageServer server)
{
    protected MirageServer Server => server;
    protected MirageClient Api => server.Client;

    [Fact]
    public async Task Seed_001_walkthrough_register_login_profile()
    {
        var api = Api;
        var username = MirageClient.UniqueName("seed");
        var register = await api.PostAsync("/api/register", new
        {
            username,
            email = $"{username}@example.com",
            password = "secure_password",
            avatar_url = "https://example.com/avatar.png",
            description = "Your bio here",
        });
        var registered = await register.ShouldBe(HttpStatusCode.Created);
        Assert.Equal("Welcome to MIRAGE", registered.Str("message"));

        var login = await (await api.PostAsync("/api/login", new { username, password = "secure_password" })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(username, login.Str("username"));
        Assert.True(Guid.TryParse(login.Str("token"), out _), "the /api token keeps the UUID shape");

        var profile = await (await api.GetAsync($"/api/user/{username}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(username, profile.Str("username"));
        Assert.Equal("https://example.com/avatar.png", profile.Str("avatar_url"));
        Assert.Equal("Your bio here", profile.Str("description"));
        var created = DateTimeOffset.Parse(profile.Str("created_at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((server.Clock.GetUtcNow() - created).TotalMinutes) < 5);
        var stats = profile.GetProperty("stats");
        foreach (var stat in new[] { "followers", "following", "posts", "upvotes", "downvotes" })
        {
            Assert.Equal(0, stats.GetProperty(stat).GetInt32());
        }
    }

    [Fact]
    public async Task A_user_without_avatar_gets_the_default_avatar_which_is_served()
    {
        var user = await Api.NewUserAsync();
        var profile = await (await Api.GetAsync($"/api/user/{user.Username}")).ShouldBe(HttpStatusCode.OK);
        var avatar = new Uri(profile.Str("avatar_url"));
        Assert.EndsWith("/static/default-avatar.svg", avatar.AbsolutePath, StringComparison.Ordinal);
        var image = await Api.Http.GetAsync(avatar.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/svg+xml", image.ContentType()?.MediaType);
    }

    [Theory]
    [InlineData("ab", "username must be 3-32 characters of letters, digits and underscores")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "username must be 3-32 characters of letters, digits and underscores")]
    [InlineData("bad name", "username must be 3-32 characters of letters, digits and underscores")]
    [InlineData("bad-name", "username must be 3-32 characters of letters, digits and underscores")]
    [InlineData("名前です", "username must be 3-32 characters of letters, digits and underscores")]
    [InlineData("12345", "username cannot be all digits")]
    public async Task Register_rejects_bad_usernames(string username, string message)
    {
        var response = await Api.PostAsync("/api/register", new { username, email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password });
        await response.ShouldFail(HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("spaces in@example.com")]
    public async Task Register_rejects_bad_emails(string email)
    {
        var response = await Api.PostAsync("/api/register", new { username = MirageClient.UniqueName(), email, password = MirageClient.Password });
        await response.ShouldFail(HttpStatusCode.BadRequest, "email is not a valid address");
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("/relative.png")]
    public async Task Register_rejects_avatar_urls_that_are_not_http(string avatarUrl)
    {
        var response = await Api.PostAsync("/api/register", new
        {
            username = MirageClient.UniqueName(), email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password, avatar_url = avatarUrl,
        });
        await response.ShouldFail(HttpStatusCode.BadRequest, "avatar_url must be an http or https URL");
    }

    [Fact]
    public async Task Register_requires_username_email_and_password_and_a_long_enough_password()
    {
        await (await Api.PostAsync("/api/register", new { username = MirageClient.UniqueName() }))
            .ShouldFail(HttpStatusCode.BadRequest, "username, email and password are required");
        await (await Api.PostAsync("/api/register", new { username = MirageClient.UniqueName(), email = "a@example.com", password = "short" }))
            .ShouldFail(HttpStatusCode.BadRequest, "password must be at least 8 characters");
    }

    [Fact]
    public async Task Description_is_limited_to_500_words()
    {
        var fiveHundred = string.Join(' ', Enumerable.Repeat("word", 500));
        var ok = await Api.PostAsync("/api/register", new
        {
            username = MirageClient.UniqueName(), email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password, description = fiveHundred,
        });
        await ok.ShouldBe(HttpStatusCode.Created);
        var tooLong = await Api.PostAsync("/api/register", new
        {
            username = MirageClient.UniqueName(), email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password, description = fiveHundred + " more",
        });
        await tooLong.ShouldFail(HttpStatusCode.BadRequest, "description is limited to 500 words");
    }

    [Fact]
    public async Task Usernames_and_emails_are_unique_case_insensitively()
    {
        var user = await Api.NewUserAsync();
        var sameName = await Api.PostAsync("/api/register", new
        {
            username = user.Username.ToUpperInvariant(), email = $"{Guid.NewGuid():N}@example.com", password = MirageClient.Password,
        });
        await sameName.ShouldFail(HttpStatusCode.Conflict, "username is already taken");
        var sameEmail = await Api.PostAsync("/api/register", new
        {
            username = MirageClient.UniqueName(), email = user.Email.ToUpperInvariant(), password = MirageClient.Password,
        });
        await sameEmail.ShouldFail(HttpStatusCode.Conflict, "email is already registered");
    }

    [Fact]
    public async Task Login_errors_are_the_documented_ones()
    {
        var user = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/login", new { username = "nobody_" + Guid.NewGuid().ToString("N")[..8], password = "whatever1" }))
            .ShouldFail(HttpStatusCode.NotFound, "user not found");
        await (await Api.PostAsync("/api/login", new { username = user.Username, password = "wrong password" }))
            .ShouldFail(HttpStatusCode.Unauthorized, "wrong password");
        await (await Api.PostAsync("/api/login", new { username = user.Username }))
            .ShouldFail(HttpStatusCode.BadRequest, "username and password are required");
    }

    [Fact]
    public async Task Api_login_takes_only_the_stored_spelling_as_the_original_server_did()
    {
        var user = await Api.NewUserAsync();
        // The original web client keeps the typed spelling to recognise its own messages: another case would log in as a stranger to oneself.
        foreach (var other in new[] { user.Username.ToUpperInvariant(), char.ToUpperInvariant(user.Username[0]) + user.Username[1..], $" {user.Username}" })
        {
            await (await Api.PostAsync("/api/login", new { username = other, password = user.Password }))
                .ShouldFail(HttpStatusCode.NotFound, "user not found");
        }
        var login = await (await Api.PostAsync("/api/login", new { username = user.Username, password = user.Password }))
            .ShouldBe(HttpStatusCode.OK);
        Assert.Equal(user.Username, login.Str("username"));
    }

    [Fact]
    public async Task Several_sessions_live_side_by_side_and_logout_ends_only_one()
    {
        var user = await Api.NewUserAsync();
        var second = await Api.LoginAsync(user.Username, user.Password);
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync("/v1/users/me", second)).ShouldBe(HttpStatusCode.OK);

        var logout = await (await Api.PostAsync("/api/logout", new { token = user.Token })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("logged out successfully", logout.Str("message"));
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.PostAsync("/api/user/settings", new { description = "x" }, user.Token)).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync("/v1/users/me", second)).ShouldBe(HttpStatusCode.OK);

        // Logging out again with the same token: it no longer exists.
        await (await Api.PostAsync("/api/logout", new { token = user.Token })).ShouldFail(HttpStatusCode.Unauthorized, "invalid token");
    }

    [Fact]
    public async Task Logout_takes_the_token_from_the_header_too_and_needs_one()
    {
        var user = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/logout", null, user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.PostAsync("/api/logout", new { })).ShouldFail(HttpStatusCode.BadRequest, "no token provided");
    }

    [Fact]
    public async Task Raw_and_bearer_authorization_headers_both_work()
    {
        var user = await Api.NewUserAsync();
        var raw = await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK);
        var bearer = await (await Api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(user.Username, raw.Str("username"));
        Assert.Equal(raw.Str("id"), bearer.Str("id"));
    }

    [Fact]
    public async Task Missing_and_unknown_tokens_are_401_in_each_surface_shape()
    {
        await (await Api.PostAsync("/api/user/settings", new { description = "x" })).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.PostAsync("/api/user/settings", new { description = "x" }, Guid.NewGuid().ToString()))
            .ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        var v1 = await Api.GetAsync("/v1/users/me", "not-a-token", bearer: true);
        var problem = await v1.ShouldBe(HttpStatusCode.Unauthorized);
        Assert.Equal("application/problem+json", v1.ContentType()?.MediaType);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Tokens_expire_after_the_lifetime_and_use_slides_the_expiry()
    {
        var user = await Api.NewUserAsync();
        var idle = await Api.LoginAsync(user.Username, user.Password);
        server.Clock.Advance(TimeSpan.FromDays(20));
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK); // used: slides to day 50
        server.Clock.Advance(TimeSpan.FromDays(20));
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync("/v1/users/me", idle)).ShouldBe(HttpStatusCode.Unauthorized); // idle since day 0
        server.Clock.Advance(TimeSpan.FromDays(31));
        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ping_and_usercount()
    {
        var pong = await (await Api.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("pong", pong.Str("message"));
        await Api.NewUserAsync();
        var response = await Api.GetAsync("/api/usercount");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.ContentType()?.MediaType);
        var before = long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(before >= 1);
        await Api.NewUserAsync();
        var after = long.Parse(await (await Api.GetAsync("/api/usercount")).Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after >= before + 1);
    }

    [Fact]
    public async Task Unknown_profile_is_404()
    {
        await (await Api.GetAsync("/api/user/nobody_" + Guid.NewGuid().ToString("N")[..10])).ShouldFail(HttpStatusCode.NotFound, "user not found");
    }

    [Fact]
    public async Task V1_users_are_found_by_prefixed_id_bare_id_and_username()
    {
        var user = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/user/settings", new { first_name = "Jane", last_name = "Doe" }, user.Token)).ShouldBe(HttpStatusCode.OK);
        var me = await (await Api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var id = me.Str("id");
        Assert.StartsWith("user_", id, StringComparison.Ordinal);
        Assert.Equal("Jane", me.Str("first_name"));
        Assert.Equal("Doe", me.Str("last_name"));
        Assert.Equal(JsonValueKind.Null, me.GetProperty("avatar_url").ValueKind);

        foreach (var reference in new[] { id, id["user_".Length..], user.Username })
        {
            var found = await (await Api.GetAsync($"/v1/users/{reference}", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(id, found.Str("id"));
            Assert.Equal(user.Username, found.Str("username"));
        }
        var missing = await Api.GetAsync("/v1/users/user_999999999", user.Token, bearer: true);
        await missing.ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", missing.ContentType()?.MediaType);
    }

    [Fact]
    public async Task Health_check_reports_the_database()
    {
        var response = await Api.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
