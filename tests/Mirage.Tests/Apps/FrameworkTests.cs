using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>An app exercising the framework: routes, the before hook, render, layouts, redirect, error, flash.</summary>
public sealed class FrameworkApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("web/app.lua", $$"""
            local app = framework()
            app:on("before", function(ctx)
              ctx.greeting = "hello from before"
              if env.is_user then
                ctx.unread = api.messages.unread()
              end
            end)
            {{TestLua.Login}}
            app:get("/", function(ctx) return ctx:render("home") end)
            app:get("/hello/:name", function(ctx) return "<p>Hello " .. str.escape(ctx.params.name) .. "</p>" end)
            app:get("/users/:id/posts/:post", function(ctx)
              return ctx:json({ id = ctx.params.id, post = ctx.params.post, method = req.method, path = req.path, q = req.query.q })
            end)
            app:post("/echo", function(ctx) return ctx:json({ method = req.method, name = req.post.name }, 201) end, { csrf = false })
            app:put("/echo", function(ctx) return ctx:json({ method = req.method }) end, { csrf = false })
            app:patch("/echo", function(ctx) return ctx:json({ method = req.method }) end, { csrf = false })
            app:delete("/echo", function(ctx) return ctx:json({ method = req.method }) end, { csrf = false })
            app:get("/table", function(ctx) return { answer = 42, list = { "a", "b" } } end)
            app:get("/data-over-ctx", function(ctx) return ctx:render("show", { greeting = "from data" }) end)
            app:get("/layout", function(ctx) return ctx:render("page", { title = "Inner" }) end)
            app:get("/go", function(ctx) return ctx:redirect("/hello/there") end)
            app:post("/go", function(ctx) return ctx:redirect("/hello/there") end, { csrf = false })
            app:get("/evil", function(ctx) return ctx:redirect("//evil.example/steal") end)
            app:get("/teapot", function(ctx) return ctx:error("I am a <teapot>", 418) end)
            app:post("/flash", function(ctx)
              ctx:flash("success", "Saved " .. (req.post.what or "it") .. "!")
              return ctx:redirect("/")
            end, { csrf = false })
            app:get("/escape", function(ctx) return ctx:render("escape", { value = "<script>alert(1)</script>" }) end)
            app:get("/bad-filter", function(ctx) return ctx:render("bad_filter") end)
            app:get("/tpl-steps", function(ctx) return ctx:render("steps") end)
            app:get("/tpl-recursion", function(ctx) return ctx:render("recurse") end)
            app:get("/tpl-output", function(ctx) return ctx:render("big", { chunk = string.rep("x", 1000) }) end)
            """);
        folder.Write("web/templates/home.liquid", """
            {% for f in flashes %}<div class="flash {{ f.kind }}">{{ f.message }}</div>{% endfor %}
            {% if unread > 0 %}<span class="badge">{{ unread }}</span>{% endif %}
            <p id="greeting">{{ greeting }}</p>
            """);
        folder.Write("web/templates/show.liquid", "<p id=\"greeting\">{{ greeting }}</p>");
        folder.Write("web/templates/page.liquid", "{% layout 'base' %}<p id=\"inner\">{{ title }} / {{ greeting }}</p>");
        folder.Write("web/templates/base.liquid", "<html><body><header>BASE LAYOUT</header><main>{{ content }}</main></body></html>");
        folder.Write("web/templates/escape.liquid", "<div id=\"a\">{{ value }}</div><div id=\"b\">{{ value | raw }}</div>");
        folder.Write("web/templates/bad_filter.liquid", "<p>{{ greeting | no_such_filter }}</p>");
        folder.Write("web/templates/steps.liquid", "{% for i in (1..3000000) %}{% endfor %}done");
        folder.Write("web/templates/recurse.liquid", "r{% include 'recurse' %}");
        folder.Write("web/templates/big.liquid", "{% for i in (1..20000) %}{{ chunk }}{% endfor %}");
    }
}

public sealed class FrameworkTestsOnSqlite(AppsSqliteServer<FrameworkApps> server) : FrameworkTests(server), IClassFixture<AppsSqliteServer<FrameworkApps>>;

public sealed class FrameworkTestsOnPostgres(AppsPostgresServer<FrameworkApps> server) : FrameworkTests(server), IClassFixture<AppsPostgresServer<FrameworkApps>>;

public abstract class FrameworkTests(IAppsServer server)
{
    private Browser NewBrowser() => Browser.Open(server);

    [Fact]
    public async Task A_route_with_params_gets_them_decoded_and_a_returned_string_is_html()
    {
        var page = await NewBrowser().GetAsync("/hello/J%C3%BCrgen%20%3Cb%3E");
        Assert.Equal(200, page.Code);
        Assert.Equal("text/html", page.ContentType);
        Assert.Equal("<p>Hello Jürgen &lt;b&gt;</p>", page.Body);

        var json = (await NewBrowser().GetAsync("/users/7/posts/abc?q=x%20y")).Json();
        Assert.Equal("7", json.Str("id"));
        Assert.Equal("abc", json.Str("post"));
        Assert.Equal("GET", json.Str("method"));
        Assert.Equal("/users/7/posts/abc", json.Str("path"));
        Assert.Equal("x y", json.Str("q"));
    }

    [Fact]
    public async Task Each_method_reaches_its_own_route_and_json_keeps_its_status()
    {
        var browser = NewBrowser();
        var post = await browser.PostFormAsync("/echo", [new("name", "Ann")], csrf: null);
        Assert.Equal(201, post.Code);
        Assert.Equal("application/json", post.ContentType);
        Assert.Equal("POST", post.Json().Str("method"));
        Assert.Equal("Ann", post.Json().Str("name"));
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            var page = await browser.SendAsync(method, "/echo", null);
            Assert.Equal(200, page.Code);
            Assert.Equal(method.Method, page.Json().Str("method"));
        }
        var table = await browser.GetAsync("/table");
        Assert.Equal("application/json", table.ContentType);
        Assert.Equal(42, table.Json().GetProperty("answer").GetInt32());
        Assert.Equal("b", table.Json().GetProperty("list")[1].GetString());
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_page_and_a_wrong_method_a_405_page()
    {
        var browser = NewBrowser();
        var missing = await browser.GetAsync("/no/such/page");
        Assert.Equal(404, missing.Code);
        Assert.Equal("text/html", missing.ContentType);
        Assert.Contains("404", missing.Body, StringComparison.Ordinal);

        var wrongMethod = await browser.PostFormAsync("/hello/x", []);
        Assert.Equal(405, wrongMethod.Code);
        Assert.Equal("text/html", wrongMethod.ContentType);
        Assert.Equal(405, (await browser.SendAsync(HttpMethod.Delete, "/table", null)).Code);
    }

    [Fact]
    public async Task Before_hook_fields_reach_the_template_and_the_seed_unread_badge_renders()
    {
        var api = server.Server.Client;
        var alice = await api.NewUserAsync("alice");
        var bob = await api.NewUserAsync("bob");
        var anonymous = await NewBrowser().GetAsync("/");
        Assert.Equal(200, anonymous.Code);
        Assert.Contains("<p id=\"greeting\">hello from before</p>", anonymous.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("badge", anonymous.Body, StringComparison.Ordinal);

        await (await api.PostAsync("/api/send_inbox_message", new { recipient = alice.Username, message = "one" }, bob.Token)).ShouldBe(HttpStatusCode.OK);
        await (await api.PostAsync("/api/send_inbox_message", new { recipient = alice.Username, message = "two" }, bob.Token)).ShouldBe(HttpStatusCode.OK);
        var browser = NewBrowser();
        await browser.LoginAsync(alice);
        var home = await browser.GetAsync("/");
        Assert.Contains("<span class=\"badge\">2</span>", home.Body, StringComparison.Ordinal);

        var bobBrowser = NewBrowser();
        await bobBrowser.LoginAsync(bob);
        Assert.DoesNotContain("badge", (await bobBrowser.GetAsync("/")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_data_wins_over_ctx_fields_and_a_layout_wraps_the_page()
    {
        var browser = NewBrowser();
        Assert.Equal("<p id=\"greeting\">from data</p>", (await browser.GetAsync("/data-over-ctx")).Body);
        var page = await browser.GetAsync("/layout");
        Assert.Equal("<html><body><header>BASE LAYOUT</header><main><p id=\"inner\">Inner / hello from before</p></main></body></html>", page.Body);
    }

    [Fact]
    public async Task Redirect_is_302_on_get_303_on_post_and_refuses_another_site()
    {
        var browser = NewBrowser();
        var get = await browser.GetAsync("/go");
        Assert.Equal(302, get.Code);
        Assert.Equal("/hello/there", get.Location);
        var post = await browser.PostFormAsync("/go", [], csrf: null);
        Assert.Equal(303, post.Code);
        Assert.Equal("/hello/there", post.Location);

        var evil = await browser.GetAsync("/evil");
        Assert.Equal(400, evil.Code);
        Assert.Null(evil.Location);
        Assert.DoesNotContain("evil.example", evil.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctx_error_is_an_html_page_with_the_status_and_the_escaped_message()
    {
        var page = await NewBrowser().GetAsync("/teapot");
        Assert.Equal(418, page.Code);
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains("I am a &lt;teapot&gt;", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flash_shows_once_on_the_next_rendered_page_then_is_gone()
    {
        var browser = NewBrowser();
        var post = await browser.PostFormAsync("/flash", [new("what", "<the draft>")], csrf: null);
        Assert.Equal(303, post.Code);
        var shown = await browser.GetAsync("/");
        Assert.Contains("<div class=\"flash success\">Saved &lt;the draft&gt;!</div>", shown.Body, StringComparison.Ordinal);
        var again = await browser.GetAsync("/");
        Assert.DoesNotContain("flash", again.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("flash", (await NewBrowser().GetAsync("/")).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_is_html_escaped_unless_raw()
    {
        var page = await NewBrowser().GetAsync("/escape");
        Assert.Equal(200, page.Code);
        Assert.Contains("<div id=\"a\">&lt;script&gt;alert(1)&lt;/script&gt;</div>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<div id=\"b\"><script>alert(1)</script></div>", page.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/bad-filter")]
    [InlineData("/tpl-steps")]
    [InlineData("/tpl-recursion")]
    [InlineData("/tpl-output")]
    public async Task An_unknown_filter_or_a_template_past_its_limits_is_a_500_page_and_the_server_keeps_serving(string path)
    {
        var logs = server.Logs;
        var browser = NewBrowser();
        var page = await browser.GetAsync(path);
        Assert.Equal(500, page.Code);
        Assert.True(page.Body.Contains(Browser.ServerError, StringComparison.Ordinal), $"{page}\n{string.Join('\n', logs.Lines)}");
        Assert.DoesNotContain("no_such_filter", page.Body, StringComparison.Ordinal);
        Assert.Equal(200, (await browser.GetAsync("/escape")).Code);
        await (await server.Server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
