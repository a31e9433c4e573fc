using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Apps;

/// <summary>A service's refusal reaches the visitor with its status, or the script through pcall.</summary>
public sealed class RefusalApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("rooms/app.lua", $$"""
            local app = framework()
            {{TestLua.Login}}
            app:post("/rooms/:id/send", function(ctx)
              api.rooms.send(tonumber(ctx.params.id), req.post.content)
              return "sent"
            end, { csrf = false })
            app:post("/rooms/:id/try", function(ctx)
              local ok, err = pcall(api.rooms.send, tonumber(ctx.params.id), "hi")
              if ok then return ctx:json({ ok = true }) end
              return ctx:json({ ok = false, text = tostring(err), status = err.status, message = err.message, kind = type(err) })
            end, { csrf = false })
            app:post("/rooms/:id/join-and-send", function(ctx)
              api.rooms.join(tonumber(ctx.params.id))
              local m = api.rooms.send(tonumber(ctx.params.id), req.post.content)
              return ctx:json({ content = m.content })
            end, { csrf = false })
            app:get("/whoami-unread", function(ctx) return tostring(api.messages.unread()) end)
            app:get("/no-room", function(ctx) return ctx:json({ is_nil = api.rooms.get(987654321) == nil }) end)
            app:get("/rethrow", function(ctx)
              local ok, err = pcall(api.messages.unread)
              error(err)
            end)
            """);
    }
}

public sealed class ApiRefusalTestsOnSqlite(AppsSqliteServer<RefusalApps> server) : ApiRefusalTests(server), IClassFixture<AppsSqliteServer<RefusalApps>>;

public sealed class ApiRefusalTestsOnPostgres(AppsPostgresServer<RefusalApps> server) : ApiRefusalTests(server), IClassFixture<AppsPostgresServer<RefusalApps>>;

public abstract class ApiRefusalTests(IAppsServer server)
{
    private MirageClient Api => server.Server.Client;

    private async Task<(TestUser User, Browser Browser)> SignedInAsync(string prefix)
    {
        var user = await Api.NewUserAsync(prefix);
        var browser = Browser.Open(server);
        await browser.LoginAsync(user);
        return (user, browser);
    }

    [Fact]
    public async Task An_uncaught_refusal_is_an_error_page_with_the_services_status_and_message()
    {
        var owner = await Api.NewUserAsync("owner");
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var (_, browser) = await SignedInAsync("outsider");

        var page = await browser.PostFormAsync($"/rooms/{roomId}/send", [new("content", "let me in")], csrf: null);
        Assert.Equal(403, page.Code);
        Assert.Equal("text/html", page.ContentType);
        Assert.Contains("you are not in this room", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("app.lua", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("let me in", string.Join('\n', await Api.MessageTextsAsync(owner, roomId)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pcall_catches_a_refusal_as_a_table_with_status_and_message_that_prints_as_the_message()
    {
        var owner = await Api.NewUserAsync("owner");
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var (_, browser) = await SignedInAsync("outsider");

        var page = await browser.PostFormAsync($"/rooms/{roomId}/try", [], csrf: null);
        Assert.Equal(200, page.Code);
        var error = page.Json();
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.Equal("table", error.Str("kind"));
        Assert.Equal(403, error.GetProperty("status").GetInt32());
        Assert.Equal("you are not in this room", error.Str("message"));
        Assert.Equal("you are not in this room", error.Str("text"));
    }

    [Fact]
    public async Task The_same_call_succeeds_once_the_rules_allow_it()
    {
        var owner = await Api.NewUserAsync("owner");
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var (_, browser) = await SignedInAsync("member");

        var page = await browser.PostFormAsync($"/rooms/{roomId}/join-and-send", [new("content", "hello room")], csrf: null);
        Assert.True(page.Code == 200, page.ToString());
        Assert.Equal("hello room", page.Json().Str("content"));
        Assert.Contains("hello room", await Api.MessageTextsAsync(owner, roomId));
        Assert.True((await browser.PostFormAsync($"/rooms/{roomId}/try", [], csrf: null)).Json().GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task An_anonymous_visitor_calling_a_signed_in_function_gets_401_and_not_found_is_nil()
    {
        var anonymous = Browser.Open(server);
        var page = await anonymous.GetAsync("/whoami-unread");
        Assert.Equal(401, page.Code);
        Assert.Contains("login required", page.Body, StringComparison.Ordinal);
        Assert.Equal(401, (await anonymous.GetAsync("/rethrow")).Code);

        var (_, browser) = await SignedInAsync("reader");
        Assert.Equal("0", (await browser.GetAsync("/whoami-unread")).Body);
        Assert.True((await browser.GetAsync("/no-room")).Json().GetProperty("is_nil").GetBoolean());
        await (await Api.GetAsync("/api/ping")).ShouldBe(HttpStatusCode.OK);
    }
}
