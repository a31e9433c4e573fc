using System.Diagnostics;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Apps;

/// <summary>Scripts that run too long, allocate too much or call the api too often: a 500 page, and everyone else is served.</summary>
public sealed class LimitApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("lim/app.lua", """
            local app = framework()
            app:get("/ok", function(ctx) return "ok" end)
            app:get("/spin", function(ctx) while true do end end)
            app:get("/pcall-spin", function(ctx) pcall(function() while true do end end) return "survived" end)
            app:get("/pcall-loop", function(ctx)
              for i = 1, 1e12 do pcall(function() while true do end end) end
              return "survived"
            end)
            app:get("/recurse", function(ctx) local function f() return f() + 1 end return tostring(f()) end)
            app:get("/rep", function(ctx) return string.rep("x", 1e9) end)
            app:get("/concat", function(ctx) local s = "x" for i = 1, 40 do s = s .. s end return s end)
            app:get("/table-bomb", function(ctx) local t = {} for i = 1, 1e9 do t[i] = { i } end return "survived" end)
            app:get("/coroutine-wrap", function(ctx) coroutine.wrap(function() while true do end end)() return "survived" end)
            app:get("/coroutine-resume", function(ctx)
              local co = coroutine.create(function() while true do end end)
              local ok = coroutine.resume(co)
              return "survived " .. tostring(ok)
            end)
            app:get("/pcall-rep", function(ctx) local ok = pcall(string.rep, "x", 1e9) return "survived " .. tostring(ok) end)
            app:get("/sort", function(ctx)
              local t = {} for i = 1, 100 do t[i] = i end
              table.sort(t, function(a, b) while true do end end)
              return "survived"
            end)
            app:get("/pattern", function(ctx)
              local s = string.rep("a", 1000)
              return "survived " .. tostring(string.find(s, ".-.-b"))
            end)
            app:get("/calls/:n", function(ctx)
              for i = 1, tonumber(ctx.params.n) do api.users.get("nobody_at_all") end
              return "made " .. ctx.params.n
            end)
            app:get("/api-pcall", function(ctx)
              for i = 1, 150 do pcall(api.users.get, "nobody_at_all") end
              return "survived"
            end)
            """);
    }
}

public sealed class SandboxLimitTestsOnSqlite(AppsSqliteServer<LimitApps> server) : SandboxLimitTests(server), IClassFixture<AppsSqliteServer<LimitApps>>;

public sealed class SandboxLimitTestsOnPostgres(AppsPostgresServer<LimitApps> server) : SandboxLimitTests(server), IClassFixture<AppsPostgresServer<LimitApps>>;

public abstract class SandboxLimitTests(IAppsServer server)
{
    /// <summary>
    /// The time limit is 1 s. This bound only tells "stopped" from "ran on" (the unbounded cases run for minutes), and
    /// is wide enough for a loaded CI machine: how fast a stop is belongs in bench/, not in a test.
    /// </summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    private async Task StoppedAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        await SandboxEscapeTests.FailsSafelyAsync(server, Browser.Open(server), path, "survived");
        Assert.True(clock.Elapsed < Prompt + TimeSpan.FromSeconds(1), $"{path} took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("/spin")]
    [InlineData("/pcall-spin")]
    [InlineData("/pcall-loop")]
    [InlineData("/coroutine-wrap")]
    [InlineData("/sort")]
    public async Task A_script_past_the_time_limit_is_stopped_even_inside_pcall(string path)
    {
        var clock = Stopwatch.StartNew();
        var page = await Browser.Open(server).GetAsync(path);
        Assert.True(page.Code == 500, page.ToString());
        Assert.True(clock.Elapsed < Prompt, $"{path} took {clock.Elapsed}");
        await StoppedAsync(path);
    }

    [Fact]
    public async Task A_timeout_caught_by_coroutine_resume_still_fails_the_request()
    {
        // The timeout hit inside a script's own coroutine, which resume returned as false: the request still fails.
        await StoppedAsync("/coroutine-resume");
    }

    [Fact]
    public async Task A_memory_error_caught_by_pcall_still_fails_the_request()
    {
        // The memory error was caught by pcall: the request still fails.
        await StoppedAsync("/pcall-rep");
    }

    [Fact]
    public async Task A_slow_string_pattern_is_stopped_by_the_time_limit()
    {
        // Patterns run on a matcher that counts against the time limit (Lua's own runs in C, out of the hook's reach).
        await StoppedAsync("/pattern");
    }

    [Theory]
    [InlineData("/recurse")]
    [InlineData("/rep")]
    [InlineData("/concat")]
    [InlineData("/table-bomb")]
    public async Task Runaway_recursion_and_memory_bombs_are_a_500_page(string path) => await StoppedAsync(path);

    [Fact]
    public async Task The_log_names_the_app_route_and_limit()
    {
        var logs = server.Logs;
        await StoppedAsync("/spin");
        Assert.Contains(logs.Lines, l => l.Contains("Lua app lim failed on GET /spin (limit: Time)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_most_max_api_calls_per_request_even_through_pcall()
    {
        var browser = Browser.Open(server);
        Assert.Equal("made 100", (await browser.GetAsync("/calls/100")).Body);
        await StoppedAsync("/calls/101");
        await StoppedAsync("/api-pcall");
        Assert.Equal("made 3", (await browser.GetAsync("/calls/3")).Body);
    }
}
