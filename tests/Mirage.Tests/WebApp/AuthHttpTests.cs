using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

public sealed class AuthHttpTestsOnSqlite(WebAppSqliteServer server) : AuthHttpTests(server), IClassFixture<WebAppSqliteServer>;

public sealed class AuthHttpTestsOnPostgres(WebAppPostgresServer server) : AuthHttpTests(server), IClassFixture<WebAppPostgresServer>;

/// <summary>The default web app's sign-up, log-in and log-out pages, its guards and its security headers.</summary>
public abstract class AuthHttpTests(MirageServer server)
{
    private WebVisitor Visitor() => WebVisitor.For(server);

    [Fact]
    public async Task Guests_get_the_welcome_page_and_the_auth_forms()
    {
        using var guest = Visitor();
        var home = await guest.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("Welcome to Mirage", home.Html);
        Assert.Contains("href=\"/signup\"", home.Html);
        var login = await guest.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.Contains("<label for=\"login-username\">Username</label>", login.Html);
        var signup = await guest.GetAsync("/signup");
        Assert.Equal(HttpStatusCode.OK, signup.Status);
        Assert.Contains("<h1>Join Mirage</h1>", signup.Html);
    }

    [Fact]
    public async Task Sign_up_signs_in_with_a_flash_and_a_refusal_keeps_the_form()
    {
        using var person = Visitor();
        var name = await person.SignUpAsync("signup");
        var home = await person.GetAsync("/");
        Assert.DoesNotContain("Welcome to Mirage, @", home.Html); // a flash is shown once
        Assert.Contains("Signed in as <strong>@" + name + "</strong>", home.Html);
        Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/signup")).Status);

        using var second = Visitor();
        await second.GetAsync("/signup");
        var refused = await second.PostAsync("/signup", ("username", name.ToUpperInvariant()), ("email", "x" + name + "@example.com"), ("password", WebVisitor.Password));
        Assert.Equal(HttpStatusCode.SeeOther, refused.Status);
        Assert.StartsWith("/signup?username=", refused.Location);
        var form = await second.GetAsync(refused.Location!);
        Assert.Contains("flash-error", form.Html);
        Assert.Contains("value=\"" + name.ToUpperInvariant() + "\"", form.Html);

        var weak = await second.SubmitAsync("/signup", ("username", WebVisitor.NewName("weak")), ("email", "weak@example.com"), ("password", "short"));
        Assert.Contains("password must be at least 8 characters", weak.Html);
    }

    [Fact]
    public async Task Log_in_takes_any_capitals_goes_to_next_and_log_out_ends_the_session()
    {
        using var person = Visitor();
        var name = await person.SignUpAsync("login");
        var loggedOut = await person.SubmitAsync("/logout");
        Assert.Contains("You have been logged out.", loggedOut.Html);
        Assert.Contains("Welcome to Mirage", loggedOut.Html);

        await person.GetAsync("/login");
        var wrong = await person.PostAsync("/login", ("username", name), ("password", "not the password"), ("next", "/settings"));
        Assert.Equal(HttpStatusCode.SeeOther, wrong.Status);
        Assert.Equal("/login?username=" + name + "&next=%2Fsettings", wrong.Location);
        Assert.Contains("Wrong username or password.", (await person.GetAsync(wrong.Location!)).Html);

        var ok = await person.PostAsync("/login", ("username", name.ToUpperInvariant()), ("password", WebVisitor.Password), ("next", "/settings"));
        Assert.Equal(HttpStatusCode.SeeOther, ok.Status);
        Assert.Equal("/settings", ok.Location);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/settings")).Status);

        var offsite = await person.PostAsync("/login", ("username", name), ("password", WebVisitor.Password), ("next", "//evil.example/"));
        Assert.Equal("/", offsite.Location);
    }

    [Theory]
    [InlineData("/tags/mirage")]
    [InlineData("/posts/1")]
    [InlineData("/u/somebody")]
    [InlineData("/u/somebody/followers")]
    [InlineData("/rooms")]
    [InlineData("/rooms/1")]
    [InlineData("/rooms/1/members")]
    [InlineData("/messages")]
    [InlineData("/messages/1")]
    [InlineData("/messages/c/1")]
    [InlineData("/notifications")]
    [InlineData("/settings")]
    public async Task Pages_for_members_send_guests_to_log_in_and_back(string path)
    {
        using var guest = Visitor();
        var page = await guest.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        var pathOnly = path.Split('?')[0];
        Assert.Equal("/login?next=" + Uri.EscapeDataString(pathOnly), page.Location);
        var login = await guest.GetAsync(page.Location!);
        Assert.Contains("Log in to continue.", login.Html);
        Assert.Contains("name=\"next\" value=\"" + pathOnly + "\"", login.Html);
    }

    [Theory]
    [InlineData("/posts")]
    [InlineData("/rooms")]
    [InlineData("/settings/profile")]
    [InlineData("/notifications/read-all")]
    [InlineData("/messages/new")]
    public async Task Guests_posting_forms_are_sent_to_log_in(string path)
    {
        using var guest = Visitor();
        var posted = await guest.PostAsync(path, ("content", "hello"));
        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        Assert.StartsWith("/login?next=", posted.Location);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/signup")]
    [InlineData("/logout")]
    [InlineData("/posts")]
    [InlineData("/rooms")]
    [InlineData("/settings/profile")]
    [InlineData("/notifications/read-all")]
    [InlineData("/messages/new")]
    [InlineData("/messages/1")]
    public async Task A_form_without_the_csrf_token_is_refused(string path)
    {
        using var person = Visitor();
        await person.SignUpAsync("csrf");
        var refused = await person.PostAsync(path, [new("content", "hello"), new("username", "x"), new("password", "y")], csrf: false);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("The form has expired", refused.Html);
        var wrong = await person.PostAsync(path, [new("content", "hello"), new("csrf_token", new string('a', 43))], csrf: false);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.Status);
    }

    [Fact]
    public async Task The_csrf_token_also_works_as_a_header()
    {
        using var person = Visitor();
        await person.SignUpAsync("header");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/posts") { Content = new FormUrlEncodedContent([new("content", "by header")]) };
        request.Headers.Add("X-CSRF-Token", person.Csrf);
        var response = await person.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_paths_get_the_404_page()
    {
        using var guest = Visitor();
        var page = await guest.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, page.Status);
        Assert.Contains("<h1>Page not found</h1>", page.Html);
        Assert.StartsWith("text/html", page.Response.Content.Headers.ContentType?.ToString());
        await guest.SignUpAsync("lost");
        var signedIn = await guest.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, signedIn.Status);
        Assert.Contains("Page not found", signedIn.Html);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/posts/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/u/nobody_here_at_all")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/rooms/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync("/messages/c/999999")).Status);
    }

    [Fact]
    public async Task Pages_carry_the_security_headers_and_cookies_are_http_only_and_lax()
    {
        using var person = Visitor();
        var login = await person.GetAsync("/login");
        var csp = string.Join(";", login.Response.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal));
        Assert.DoesNotContain("'unsafe-inline'", scriptSrc);
        Assert.DoesNotContain("'unsafe-eval'", scriptSrc);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", login.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains(login.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mirage_csrf=", StringComparison.Ordinal));

        await person.GetAsync("/signup");
        var name = WebVisitor.NewName("cookie");
        var signedUp = await person.PostAsync("/signup", ("username", name), ("email", name + "@example.com"), ("password", WebVisitor.Password));
        var cookies = signedUp.Response.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Single(c => c.StartsWith("mirage_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", session);
        Assert.Contains("samesite=lax", session);
        Assert.Contains("path=/", session);
        Assert.All(cookies, c => Assert.Contains("httponly", c.ToLowerInvariant()));

        var home = await person.GetAsync("/");
        Assert.Contains("no-store", home.Response.Headers.CacheControl?.ToString());
        Assert.True(home.Response.Headers.Contains("Content-Security-Policy"));
        Assert.DoesNotContain("<script>", home.Html); // only <script src>
    }

    [Fact]
    public async Task The_apps_assets_are_served_from_this_origin()
    {
        using var guest = Visitor();
        var css = await guest.Http.GetAsync("/assets/default/app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        var js = await guest.Http.GetAsync("/assets/default/app.js");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        var page = await guest.GetAsync("/login");
        Assert.DoesNotContain("http://", page.Html.Replace("http://www.w3.org", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", page.Html);
    }
}
