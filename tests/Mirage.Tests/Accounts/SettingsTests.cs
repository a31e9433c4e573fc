using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Accounts;

public sealed class SettingsTestsOnSqlite(SqliteServer server) : SettingsTests(server), IClassFixture<SqliteServer>;

public sealed class SettingsTestsOnPostgres(PostgresServer server) : SettingsTests(server), IClassFixture<PostgresServer>;

/// <summary><c>POST /api/user/settings</c>: profile fields, and the re-authentication rules for email and password.</summary>
public abstract class SettingsTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Profile_fields_update_and_show_on_the_profile()
    {
        var user = await Api.NewUserAsync();
        var response = await Api.PostAsync("/api/user/settings", new
        {
            avatar_url = "https://example.com/me.png",
            description = "new bio",
            custom_css = "body { color: teal; }",
            background_image = "https://example.com/bg.jpg",
        }, user.Token);
        var body = await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("settings updated", body.Str("message"));

        var profile = await (await Api.GetAsync($"/api/user/{user.Username}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("https://example.com/me.png", profile.Str("avatar_url"));
        Assert.Equal("new bio", profile.Str("description"));
        Assert.Equal("body { color: teal; }", profile.Str("custom_css"));
        Assert.Equal("https://example.com/bg.jpg", profile.Str("background_image"));

        // The web client resets with empty strings.
        await (await Api.PostAsync("/api/user/settings", new { custom_css = "", avatar_url = "" }, user.Token)).ShouldBe(HttpStatusCode.OK);
        profile = await (await Api.GetAsync($"/api/user/{user.Username}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("", profile.Str("custom_css"));
        Assert.EndsWith("/static/default-avatar.svg", profile.Str("avatar_url"), StringComparison.Ordinal);
        Assert.Equal("new bio", profile.Str("description"));
    }

    [Fact]
    public async Task Invalid_settings_are_rejected_and_change_nothing()
    {
        var user = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/user/settings", new { description = "kept", avatar_url = "javascript:alert(1)" }, user.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "avatar_url must be an http or https URL");
        await (await Api.PostAsync("/api/user/settings", new { background_image = "data:image/png;base64,AAAA" }, user.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "background_image must be an http or https URL");
        await (await Api.PostAsync("/api/user/settings", new { description = string.Join(' ', Enumerable.Repeat("w", 501)) }, user.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "description is limited to 500 words");
        await (await Api.PostAsync("/api/user/settings", new { }, user.Token))
            .ShouldFail(HttpStatusCode.BadRequest, "nothing to update");
        var profile = await (await Api.GetAsync($"/api/user/{user.Username}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("", profile.Str("description"));
    }

    [Fact]
    public async Task A_fresh_login_may_change_the_password_which_ends_the_other_sessions()
    {
        var user = await Api.NewUserAsync();
        var other = await Api.LoginAsync(user.Username, user.Password);
        await (await Api.GetAsync("/v1/users/me", other)).ShouldBe(HttpStatusCode.OK); // seen (and remembered) before the change
        await (await Api.PostAsync("/api/user/settings", new { password = "a brand new secret" }, user.Token)).ShouldBe(HttpStatusCode.OK);

        await (await Api.GetAsync("/v1/users/me", user.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.GetAsync("/v1/users/me", other)).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.PostAsync("/api/login", new { username = user.Username, password = user.Password }))
            .ShouldFail(HttpStatusCode.Unauthorized, "wrong password");
        await Api.LoginAsync(user.Username, "a brand new secret");
    }

    [Fact]
    public async Task An_older_session_needs_the_current_password_for_email_and_password()
    {
        var user = await Api.NewUserAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(16));
        var newEmail = $"new_{Guid.NewGuid():N}@example.com";
        await (await Api.PostAsync("/api/user/settings", new { email = newEmail }, user.Token)).ShouldBe(HttpStatusCode.Forbidden);
        await (await Api.PostAsync("/api/user/settings", new { password = "another secret", current_password = "wrong one!" }, user.Token))
            .ShouldFail(HttpStatusCode.Forbidden, "current_password is wrong");
        // Profile fields need no re-authentication.
        await (await Api.PostAsync("/api/user/settings", new { description = "still me" }, user.Token)).ShouldBe(HttpStatusCode.OK);

        await (await Api.PostAsync("/api/user/settings", new { email = newEmail, current_password = user.Password }, user.Token))
            .ShouldBe(HttpStatusCode.OK);
        await (await Api.PostAsync("/api/register", new { username = MirageClient.UniqueName(), email = newEmail, password = MirageClient.Password }))
            .ShouldFail(HttpStatusCode.Conflict, "email is already registered");
        await Api.LoginAsync(user.Username, user.Password);
    }

    [Fact]
    public async Task An_email_already_in_use_is_a_conflict()
    {
        var user = await Api.NewUserAsync();
        var other = await Api.NewUserAsync();
        await (await Api.PostAsync("/api/user/settings", new { email = other.Email.ToUpperInvariant() }, user.Token))
            .ShouldFail(HttpStatusCode.Conflict, "email is already registered");
        // Keeping one's own address (in another case) is fine.
        await (await Api.PostAsync("/api/user/settings", new { email = user.Email.ToUpperInvariant() }, user.Token)).ShouldBe(HttpStatusCode.OK);
    }
}
