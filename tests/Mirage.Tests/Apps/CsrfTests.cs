using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>Forms: every non-GET route checks the CSRF token unless it opts out.</summary>
public sealed class CsrfApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("forms/app.lua", """
            local app = framework()
            app:get("/form", function(ctx) return ctx:render("form") end)
            app:get("/plain", function(ctx) return "no template, no token" end)
            app:post("/submit", function(ctx) return "ok " .. str.escape(req.post.x or "") end)
            app:put("/thing", function(ctx) return "put ok" end)
            app:post("/seed", function(ctx) return ctx:redirect("/form") end, { csrf = true })
            app:post("/open", function(ctx) return "open " .. (req.post.x or "") end, { csrf = false })
            """);
        folder.Write("forms/templates/form.liquid",
            "<form method=\"post\" action=\"/submit\">{{ csrf_field }}</form><span id=\"token\">{{ csrf_token }}</span>");
    }
}

public sealed class CsrfTestsOnSqlite(AppsSqliteServer<CsrfApps> server) : CsrfTests(server), IClassFixture<AppsSqliteServer<CsrfApps>>;

public sealed class CsrfTestsOnPostgres(AppsPostgresServer<CsrfApps> server) : CsrfTests(server), IClassFixture<AppsPostgresServer<CsrfApps>>;

public abstract class CsrfTests(IAppsServer server)
{
    private const string Expired = "The form has expired";

    /// <summary>A browser that has seen the form, so it holds the CSRF cookie.</summary>
    private async Task<(Browser Browser, string Token)> BrowserWithFormAsync()
    {
        var browser = Browser.Open(server);
        var form = await browser.GetAsync("/form");
        Assert.Equal(200, form.Code);
        Assert.NotNull(browser.CsrfToken);
        return (browser, browser.CsrfToken!);
    }

    [Fact]
    public async Task The_first_page_sets_the_token_that_the_template_shows_and_its_hidden_field_carries()
    {
        var browser = Browser.Open(server);
        var form = await browser.GetAsync("/form");
        var token = browser.CsrfToken!;
        Assert.Equal(43, token.Length);
        Assert.Contains($"<span id=\"token\">{token}</span>", form.Body, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"csrf_token\" value=\"{token}\">", form.Body, StringComparison.Ordinal);
        // The same browser keeps its token.
        await browser.GetAsync("/form");
        Assert.Equal(token, browser.CsrfToken);
    }

    [Fact]
    public async Task A_post_without_a_token_is_refused_with_403()
    {
        var (browser, _) = await BrowserWithFormAsync();
        var page = await browser.PostFormAsync("/submit", [new("x", "1")], csrf: null);
        Assert.Equal(403, page.Code);
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains(Expired, page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ok", page.Body, StringComparison.Ordinal);

        // Nor with no cookie at all.
        var fresh = await Browser.Open(server).PostFormAsync("/submit", [new("x", "1")], csrf: null);
        Assert.Equal(403, fresh.Code);
    }

    [Fact]
    public async Task A_post_with_a_wrong_token_is_refused_with_403()
    {
        var (browser, token) = await BrowserWithFormAsync();
        var wrong = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(403, (await browser.PostFormAsync("/submit", [new("x", "1")], csrf: wrong)).Code);
        Assert.Equal(403, (await browser.PostFormAsync("/submit", [new("x", "1")], csrf: "short")).Code);

        // Another browser's token is wrong for this one.
        var (other, otherToken) = await BrowserWithFormAsync();
        Assert.NotEqual(token, otherToken);
        Assert.Equal(403, (await browser.PostFormAsync("/submit", [new("x", "1")], csrf: otherToken)).Code);
        Assert.Equal(200, (await other.PostFormAsync("/submit", [new("x", "1")], csrf: otherToken)).Code);
    }

    [Fact]
    public async Task The_right_token_in_the_form_or_the_header_is_accepted()
    {
        var (browser, token) = await BrowserWithFormAsync();
        var posted = await browser.PostFormAsync("/submit", [new("x", "<1>")], csrf: token);
        Assert.Equal(200, posted.Code);
        Assert.Equal("ok &lt;1&gt;", posted.Body);

        var put = await browser.SendAsync(HttpMethod.Put, "/thing", null, csrfHeader: token);
        Assert.Equal(200, put.Code);
        Assert.Equal("put ok", put.Body);
        Assert.Equal(403, (await browser.SendAsync(HttpMethod.Put, "/thing", null)).Code);
    }

    [Fact]
    public async Task A_csrf_true_route_checks_the_token_like_any_other()
    {
        var (browser, token) = await BrowserWithFormAsync();
        Assert.Equal(403, (await browser.PostFormAsync("/seed", [], csrf: null)).Code);
        var page = await browser.PostFormAsync("/seed", [], csrf: token);
        Assert.Equal(303, page.Code);
        Assert.Equal("/form", page.Location);
    }

    [Fact]
    public async Task A_csrf_false_route_needs_no_token()
    {
        var page = await Browser.Open(server).PostFormAsync("/open", [new("x", "1")], csrf: null);
        Assert.Equal(200, page.Code);
        Assert.Equal("open 1", page.Body);
        await (await server.Server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
