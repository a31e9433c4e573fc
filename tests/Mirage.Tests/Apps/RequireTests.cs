using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary><c>require</c> loads Lua modules from the app's own folder and nothing else.</summary>
public sealed class RequireApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("mods/lib/util.lua", """
            local M = {}
            function M.shout(s) return s:upper() .. "!" end
            return M
            """);
        folder.Write("mods/helpers.lua", "return { twice = function(n) return n * 2 end }");
        folder.Write("mods/app.lua", """
            local app = framework()
            local util = require "lib.util"
            local helpers = require("helpers")
            local function attempt(name)
              local ok, err = pcall(require, name)
              return { ok = ok, err = tostring(err) }
            end
            app:get("/shout/:word", function(ctx) return util.shout(ctx.params.word) .. " " .. helpers.twice(21) end)
            app:get("/same-module", function(ctx) return tostring(require("lib.util") == util) end)
            app:get("/attempt", function(ctx) return ctx:json(attempt(req.query.name)) end)
            app:get("/require-os", function(ctx) local os2 = require "os" return "loaded " .. tostring(os2) end)
            """);
        // Another app's module: not reachable from "mods".
        folder.Write("zother/app.lua", "local app = framework()\napp:get('/zother', function() return require('secret').value end)\n");
        folder.Write("zother/secret.lua", "return { value = 'zother secret' }");
    }
}

public sealed class RequireTestsOnSqlite(AppsSqliteServer<RequireApps> server) : RequireTests(server), IClassFixture<AppsSqliteServer<RequireApps>>;

public sealed class RequireTestsOnPostgres(AppsPostgresServer<RequireApps> server) : RequireTests(server), IClassFixture<AppsPostgresServer<RequireApps>>;

public abstract class RequireTests(IAppsServer server)
{
    [Fact]
    public async Task Require_loads_modules_from_the_apps_own_folder_once()
    {
        var browser = Browser.Open(server);
        Assert.Equal("HEY! 42", (await browser.GetAsync("/shout/hey")).Body);
        Assert.Equal("true", (await browser.GetAsync("/same-module")).Body);
        Assert.Equal("zother secret", (await browser.GetAsync("/zother")).Body);
    }

    [Theory]
    [InlineData("os")]
    [InlineData("io")]
    [InlineData("debug")]
    [InlineData("../x")]
    [InlineData("../zother/secret")]
    [InlineData("secret")]
    [InlineData("app")]
    [InlineData("/etc/passwd")]
    public async Task Require_cannot_load_anything_else(string name)
    {
        var page = await Browser.Open(server).GetAsync($"/attempt?name={Uri.EscapeDataString(name)}");
        Assert.Equal(200, page.Code);
        var result = page.Json();
        Assert.False(result.GetProperty("ok").GetBoolean(), page.Body);
        Assert.Contains("not found", result.Str("err"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uncaught_require_of_os_is_a_500_page_and_the_next_request_works()
    {
        var browser = Browser.Open(server);
        var page = await browser.GetAsync("/require-os");
        Assert.Equal(500, page.Code);
        Assert.Contains(Browser.ServerError, page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("loaded", page.Body, StringComparison.Ordinal);
        Assert.Equal("HEY! 42", (await browser.GetAsync("/shout/hey")).Body);
        await (await server.Server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
