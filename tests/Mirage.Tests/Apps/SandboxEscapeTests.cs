using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>Scripts reaching for what the sandbox removed: each fails safely and the server keeps serving.</summary>
public sealed class EscapeApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("esc/app.lua", """
            local app = framework()
            local function evil() return "pwned" end
            app:get("/ok", function(ctx) return "ok" end)
            app:get("/absent", function(ctx)
              return ctx:json({
                io = type(io), debug = type(debug), package = type(package), dofile = type(dofile),
                loadfile = type(loadfile), collectgarbage = type(collectgarbage), string_dump = type(string.dump),
                os_execute = type(os.execute), os_getenv = type(os.getenv), os_remove = type(os.remove), os_exit = type(os.exit),
                os_time = type(os.time), string_metatable = tostring(getmetatable("")), clrimport = type(import), luanet = type(luanet),
              })
            end)
            app:get("/os-execute", function(ctx) os.execute("echo pwned > /tmp/mirage-pwned") return "ran" end)
            app:get("/io-open", function(ctx) return io.open("/etc/passwd"):read("a") end)
            app:get("/dump", function(ctx) return tostring(load(string.dump(function() return 1 end))()) end)
            app:get("/binary", function(ctx)
              local f, err = load("\27Lua\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64\1")
              local g, err2 = load("\27Lua", "chunk", "b")
              return ctx:json({ loaded = f ~= nil or g ~= nil, err = tostring(err), err2 = tostring(err2) })
            end)
            app:get("/debug", function(ctx) return tostring(debug.getregistry()) end)
            app:get("/poison", function(ctx)
              local tried = {}
              tried.metatable_index = pcall(function() getmetatable("").__index.upper = evil end)
              tried.string_field = pcall(function() string.upper = evil end)
              tried.rawset_string = pcall(rawset, string, "upper", evil)
              tried.setmetatable_string = pcall(setmetatable, string, { __index = { upper = evil } })
              tried.global_string = pcall(function() string = { upper = evil } end)
              tried.setmetatable_env = pcall(setmetatable, _G, {})
              return ctx:json(tried)
            end)
            app:get("/upper", function(ctx) return ("a"):upper() .. string.upper("b") end)
            app:get("/set-global", function(ctx) leaked = "secret"; _G.leaked2 = "secret2"; return "set" end)
            app:get("/get-global", function(ctx) return tostring(leaked) .. "," .. tostring(_G.leaked2) end)
            app:get("/yield", function(ctx) coroutine.yield("out") return "after yield" end)
            app:get("/gc", function(ctx) setmetatable({}, { __gc = function() while true do end end }) return "gc set" end)
            """);
    }
}

public sealed class SandboxEscapeTestsOnSqlite(AppsSqliteServer<EscapeApps> server) : SandboxEscapeTests(server), IClassFixture<AppsSqliteServer<EscapeApps>>;

public sealed class SandboxEscapeTestsOnPostgres(AppsPostgresServer<EscapeApps> server) : SandboxEscapeTests(server), IClassFixture<AppsPostgresServer<EscapeApps>>;

public abstract class SandboxEscapeTests(IAppsServer server)
{
    /// <summary>A 500 page without internals, then ping answers and a normal route works.</summary>
    internal static async Task FailsSafelyAsync(IAppsServer server, Browser browser, string path, string? mustNotContain = null)
    {
        var page = await browser.GetAsync(path);
        Assert.True(page.Code == 500, $"{path}: {page}");
        Assert.Contains(Browser.ServerError, page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("app.lua", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("traceback", page.Body, StringComparison.Ordinal);
        if (mustNotContain is not null)
        {
            Assert.DoesNotContain(mustNotContain, page.Body, StringComparison.Ordinal);
        }
        await (await server.Server.Client.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("ok", (await browser.GetAsync("/ok")).Body);
    }

    [Fact]
    public async Task The_dangerous_libraries_and_functions_are_absent()
    {
        var json = (await Browser.Open(server).GetAsync("/absent")).Json();
        foreach (var name in new[] { "io", "debug", "package", "dofile", "loadfile", "collectgarbage", "string_dump", "os_execute", "os_getenv", "os_remove", "os_exit", "clrimport", "luanet" })
        {
            Assert.True(json.Str(name) == "nil", $"{name} is {json.Str(name)}");
        }
        Assert.Equal("function", json.Str("os_time"));
        Assert.Equal("false", json.Str("string_metatable"));
    }

    [Theory]
    [InlineData("/os-execute", "ran")]
    [InlineData("/io-open", "root:")]
    [InlineData("/dump", null)]
    [InlineData("/debug", "table:")]
    [InlineData("/yield", "after yield")]
    [InlineData("/gc", "gc set")]
    public async Task A_call_to_a_removed_function_is_a_500_page(string path, string? mustNotContain)
    {
        await FailsSafelyAsync(server, Browser.Open(server), path, mustNotContain);
        Assert.False(File.Exists("/tmp/mirage-pwned"));
    }

    [Fact]
    public async Task Binary_chunks_are_refused_by_load()
    {
        var json = (await Browser.Open(server).GetAsync("/binary")).Json();
        Assert.False(json.GetProperty("loaded").GetBoolean());
        Assert.Contains("binary chunks are not allowed", json.Str("err"), StringComparison.Ordinal);
        Assert.Contains("binary chunks are not allowed", json.Str("err2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poisoning_the_string_library_fails_and_later_requests_get_the_real_one()
    {
        var browser = Browser.Open(server);
        Assert.Equal("AB", (await browser.GetAsync("/upper")).Body);
        var tried = (await browser.GetAsync("/poison")).Json();
        foreach (var attempt in tried.EnumerateObject())
        {
            Assert.True(attempt.Name == "global_string" || !attempt.Value.GetBoolean(), $"{attempt.Name} succeeded");
        }
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("AB", (await Browser.Open(server).GetAsync("/upper")).Body);
        }
    }

    [Fact]
    public async Task Globals_set_in_one_request_are_not_seen_by_the_next()
    {
        var browser = Browser.Open(server);
        Assert.Equal("set", (await browser.GetAsync("/set-global")).Body);
        Assert.Equal("nil,nil", (await browser.GetAsync("/get-global")).Body);
        Assert.Equal("nil,nil", (await Browser.Open(server).GetAsync("/get-global")).Body);
    }
}
