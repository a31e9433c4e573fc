using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>Apps that tests edit while the server runs, one broken from the start and one that serves beside it.</summary>
public sealed class ReloadApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("broken/app.lua", "local app = framework()\nlocal = 1\napp:get('/broken', function() return 'never' end)\n");
        folder.Write("other/app.lua", "local app = framework()\napp:get('/other', function() return 'other serves' end)\n");
        folder.Write("edit_tpl/app.lua", "local app = framework()\napp:get('/tpl', function(ctx) return ctx:render('page', { n = 1 }) end)\n");
        folder.Write("edit_tpl/templates/page.liquid", "<p>template v1 {{ n }}</p>");
        folder.Write("edit_lua/app.lua", LuaVersion("lua v1"));
        folder.Write("break_lua/app.lua", "local app = framework()\napp:get('/keep', function() return 'keep v1' end)\n");
        folder.Write("break_tpl/app.lua", "local app = framework()\napp:get('/keep-tpl', function(ctx) return ctx:render('page') end)\n");
        folder.Write("break_tpl/templates/page.liquid", "<p>kept template v1</p>");
    }

    public static string LuaVersion(string text) =>
        $"local app = framework()\napp:get('/lua', function() return '{text}' end)\napp:get('/lua-added', function() return 'added {text}' end)\n";
}

public sealed class ReloadTestsOnSqlite(AppsSqliteServer<ReloadApps> server) : ReloadTests(server), IClassFixture<AppsSqliteServer<ReloadApps>>;

public sealed class ReloadTestsOnPostgres(AppsPostgresServer<ReloadApps> server) : ReloadTests(server), IClassFixture<AppsPostgresServer<ReloadApps>>;

public abstract class ReloadTests(IAppsServer server)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_broken_app_at_start_is_skipped_and_the_others_serve()
    {
        var browser = Browser.Open(server);
        Assert.Equal("other serves", (await browser.GetAsync("/other")).Body);
        Assert.Equal(404, (await browser.GetAsync("/broken")).Code);
        await (await server.Server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_edited_template_is_served_without_a_restart()
    {
        var browser = Browser.Open(server);
        Assert.Equal("<p>template v1 1</p>", (await browser.GetAsync("/tpl")).Body);
        server.Folder.Write("edit_tpl/templates/page.liquid", "<p>template version two {{ n }}</p>");
        var page = await browser.WaitForAsync("/tpl", "version two", Within);
        Assert.Equal("<p>template version two 1</p>", page.Body);
    }

    [Fact]
    public async Task An_edited_app_lua_is_served_without_a_restart_with_its_new_routes()
    {
        var logs = server.Logs;
        var browser = Browser.Open(server);
        Assert.Equal("lua v1", (await browser.GetAsync("/lua")).Body);
        server.Folder.Write("edit_lua/app.lua", ReloadApps.LuaVersion("lua version two"));
        Assert.Equal("lua version two", (await browser.WaitForAsync("/lua", "version two", Within)).Body);
        Assert.Equal("added lua version two", (await browser.GetAsync("/lua-added")).Body);
        // The app broken since the start is tried again, still skipped, and the log says where.
        Assert.Contains(logs.Lines, l => l.Contains("broken/app.lua:2:", StringComparison.Ordinal));
        Assert.Equal(404, (await browser.GetAsync("/broken")).Code);
    }

    [Fact]
    public async Task A_broken_lua_edit_keeps_the_last_good_version_serving_and_logs_file_and_line()
    {
        var logs = server.Logs;
        var browser = Browser.Open(server);
        Assert.Equal("keep v1", (await browser.GetAsync("/keep")).Body);

        server.Folder.Write("break_lua/app.lua", "local app = framework()\n\nlocal x = = 1\napp:get('/keep', function() return 'keep v2' end)\n");
        var deadline = DateTime.UtcNow + Within;
        while (!logs.Contains("break_lua/app.lua:3:") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(logs.Contains("break_lua/app.lua:3:"), string.Join('\n', logs.Lines));
        Assert.Equal("keep v1", (await browser.GetAsync("/keep")).Body);

        // A fix is picked up again.
        server.Folder.Write("break_lua/app.lua", "local app = framework()\napp:get('/keep', function() return 'keep v3 fixed' end)\n");
        Assert.Equal("keep v3 fixed", (await browser.WaitForAsync("/keep", "v3", Within)).Body);
    }

    [Fact]
    public async Task A_broken_template_edit_keeps_the_last_good_version_serving()
    {
        var logs = server.Logs;
        var browser = Browser.Open(server);
        Assert.Equal("<p>kept template v1</p>", (await browser.GetAsync("/keep-tpl")).Body);

        server.Folder.Write("break_tpl/templates/page.liquid", "<p>one</p>\n<p>{% if %}broken{% endif</p>");
        var deadline = DateTime.UtcNow + Within;
        while (!logs.Contains("break_tpl/templates/page.liquid:") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(logs.Contains("break_tpl/templates/page.liquid:2:"), string.Join('\n', logs.Lines));
        Assert.Equal("<p>kept template v1</p>", (await browser.GetAsync("/keep-tpl")).Body);

        server.Folder.Write("break_tpl/templates/page.liquid", "<p>kept template v2</p>");
        Assert.Equal("<p>kept template v2</p>", (await browser.WaitForAsync("/keep-tpl", "v2", Within)).Body);
    }
}
