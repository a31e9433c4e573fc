using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>
/// A fake built-in app with its layout and pages, and operators' apps that restyle some of its templates or
/// replace one of its routes.
/// </summary>
public sealed class OverrideApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.WriteBuiltIn("app.lua", """
            local app = framework()
            app:get("/page", function(ctx) return ctx:render("page", { who = "the built-in route" }) end)
            app:get("/side", function(ctx) return ctx:render("side") end)
            app:get("/plain", function(ctx) return ctx:render("plain") end)
            app:get("/same", function(ctx) return "built-in same" end)
            app:get("/builtin-only", function(ctx) return "built-in only" end)
            """);
        folder.WriteBuiltIn("templates/layout.liquid", "<div class=\"builtin-layout\">{{ content }}</div>");
        folder.WriteBuiltIn("templates/page.liquid", "{% layout 'layout' %}<p>built-in page for {{ who }}</p>");
        folder.WriteBuiltIn("templates/side.liquid", "{% layout 'layout' %}<p>built-in side</p>");
        folder.WriteBuiltIn("templates/plain.liquid", "{% layout 'layout' %}<p>built-in plain</p>");

        // Ships only a template, as an operator restyling one page does.
        folder.Write("skin/templates/page.liquid", "{% layout 'layout' %}<p>operator page for {{ who }}</p>");
        // An app of its own that also restyles a built-in template and replaces a built-in route.
        folder.Write("theme/app.lua", """
            local app = framework()
            app:get("/same", function(ctx) return "operator same" end)
            app:get("/theme", function(ctx) return ctx:render("plain") end)
            """);
        folder.Write("theme/templates/side.liquid", "{% layout 'layout' %}<p>operator side</p>");
    }
}

public sealed class OverrideTestsOnSqlite(AppsSqliteServer<OverrideApps> server) : OverrideTests(server), IClassFixture<AppsSqliteServer<OverrideApps>>;

public sealed class OverrideTestsOnPostgres(AppsPostgresServer<OverrideApps> server) : OverrideTests(server), IClassFixture<AppsPostgresServer<OverrideApps>>;

public abstract class OverrideTests(IAppsServer server)
{
    [Fact]
    public async Task An_operator_template_of_an_app_with_routes_replaces_the_built_in_one_inside_the_built_in_layout()
    {
        var page = await Browser.Open(server).GetAsync("/side");
        Assert.Equal(200, page.Code);
        Assert.Equal("<div class=\"builtin-layout\"><p>operator side</p></div>", page.Body);
    }

    [Fact]
    public async Task A_template_only_operator_app_restyles_a_built_in_page_inside_the_built_in_layout()
    {
        // A folder of templates alone is an app: an operator restyling the built-in pages.
        var page = await Browser.Open(server).GetAsync("/page");
        Assert.Equal(200, page.Code);
        Assert.Equal("<div class=\"builtin-layout\"><p>operator page for the built-in route</p></div>", page.Body);
    }

    [Fact]
    public async Task Templates_nobody_overrides_still_come_from_the_built_in_app()
    {
        var browser = Browser.Open(server);
        Assert.Equal("<div class=\"builtin-layout\"><p>built-in plain</p></div>", (await browser.GetAsync("/plain")).Body);
        Assert.Equal("<div class=\"builtin-layout\"><p>built-in plain</p></div>", (await browser.GetAsync("/theme")).Body);
        Assert.Equal("built-in only", (await browser.GetAsync("/builtin-only")).Body);
    }

    [Fact]
    public async Task An_operator_route_with_the_same_path_wins_over_the_built_in_one()
    {
        var page = await Browser.Open(server).GetAsync("/same");
        Assert.Equal(200, page.Code);
        Assert.Equal("operator same", page.Body);
    }
}
