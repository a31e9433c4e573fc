using System.Globalization;
using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Messaging;

namespace Mirage.Tests.Apps;

/// <summary>Seed 002's seven <c>api.messages</c> functions, called from routes and answered as JSON.</summary>
public sealed class MessagesApps : IAppSet
{
    public static void Write(AppFolder folder)
    {
        folder.Write("msg/app.lua", $$"""
            local app = framework()
            {{TestLua.Login}}
            app:post("/send", function(ctx)
              local to = req.post.to
              if req.post.how == "number" then to = tonumber(to) end
              return ctx:json(api.messages.send(to, req.post.content))
            end, { csrf = false })
            app:get("/chat/:uid", function(ctx)
              local page = api.messages.chat(tonumber(ctx.params.uid), req.query.page and tonumber(req.query.page), req.query.limit and tonumber(req.query.limit))
              local lines = {}
              for i, m in ipairs(page.items) do lines[i] = m.sender.username .. ": " .. m.content end
              return ctx:json({ total = page.total, count = #page.items, lines = lines })
            end)
            app:get("/messages/:userid", function(ctx)
              local chat = api.messages.chat(tonumber(ctx.params.userid), 1, 50)
              return ctx:render("chat", { messages = chat.items, other_user = tonumber(ctx.params.userid) })
            end)
            app:get("/conversations", function(ctx)
              local out = {}
              for i, c in ipairs(api.messages.conversations()) do
                out[i] = { user = c.user.username, last = c.last_message and c.last_message.content, unread = c.unread_count, chat_id = c.chat_id }
              end
              return ctx:json({ n = #out, list = out })
            end)
            app:get("/unread", function(ctx)
              local n = api.messages.unread()
              return ctx:json({ unread = n, type = math.type(n) })
            end)
            app:get("/get/:id", function(ctx)
              local m = api.messages.get(ctx.params.id)
              if m == nil then return ctx:json({ found = false }) end
              return ctx:json({ found = true, id = m.id, content = m.content })
            end)
            app:post("/edit/:id", function(ctx)
              local m = api.messages.edit(tonumber(ctx.params.id), req.post.content)
              return ctx:json({ content = m.content, edited = m.edited_at ~= nil })
            end, { csrf = false })
            app:post("/delete/:id", function(ctx)
              local deleted = api.messages.delete(tonumber(ctx.params.id))
              return ctx:json({ deleted = deleted, type = type(deleted) })
            end, { csrf = false })
            """);
        folder.Write("msg/templates/chat.liquid",
            "<p>with {{ other_user }}</p><ul>{% for m in messages %}<li>{{ m.sender.username }}: {{ m.content }}</li>{% endfor %}</ul>");
    }
}

public sealed class MessagesApiTestsOnSqlite(AppsSqliteServer<MessagesApps> server) : MessagesApiTests(server), IClassFixture<AppsSqliteServer<MessagesApps>>;

public sealed class MessagesApiTestsOnPostgres(AppsPostgresServer<MessagesApps> server) : MessagesApiTests(server), IClassFixture<AppsPostgresServer<MessagesApps>>;

public abstract class MessagesApiTests(IAppsServer server)
{
    private MirageClient Api => server.Server.Client;

    private sealed record Person(TestUser User, long Id, Browser Browser);

    private async Task<Person> PersonAsync(string prefix)
    {
        var user = await Api.NewUserAsync(prefix);
        var browser = Browser.Open(server);
        await browser.LoginAsync(user);
        return new Person(user, await TestLua.UserIdAsync(Api, user), browser);
    }

    private static async Task<JsonElement> SendAsync(Person from, string to, string how, string content)
    {
        var page = await from.Browser.PostFormAsync("/send", [new("to", to), new("how", how), new("content", content)], csrf: null);
        Assert.True(page.Code == 200, page.ToString());
        return page.Json();
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Send_by_numeric_id_by_id_string_and_by_username_lands_in_v1_and_the_inbox()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var byNumber = await SendAsync(alice, Text(bob.Id), "number", "Hey, how are you?");
        var byString = await SendAsync(alice, Text(bob.Id), "string", "by id string");
        var byName = await SendAsync(alice, bob.User.Username, "string", "Hello from Lua!");

        // The /v1 shape as Lua sees it: ids are numbers.
        Assert.Equal(JsonValueKind.Number, byNumber.GetProperty("id").ValueKind);
        Assert.Equal(alice.Id, byNumber.GetProperty("user_id").GetInt64());
        Assert.Equal("Hey, how are you?", byNumber.Str("content"));
        var chatId = byNumber.GetProperty("chat_id").GetInt64();
        Assert.Equal(chatId, byString.GetProperty("chat_id").GetInt64());
        Assert.Equal(chatId, byName.GetProperty("chat_id").GetInt64());

        var v1 = await Api.ContentsAsync(bob.User, $"chat_{chatId}");
        Assert.Equal(["Hey, how are you?", "by id string", "Hello from Lua!"], v1);
        var inbox = await (await Api.GetAsync("/api/inbox", bob.User.Token)).ShouldBe(HttpStatusCode.OK);
        var received = inbox.GetProperty("messages").EnumerateArray().Select(m => (m.Str("sender"), m.Str("message"))).ToList();
        Assert.Contains((alice.User.Username, "Hello from Lua!"), received);
        Assert.Contains((alice.User.Username, "Hey, how are you?"), received);
        Assert.Equal(byName.GetProperty("id").GetInt64(), inbox.GetProperty("messages")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Chat_pages_are_chronological_with_sender_usernames_and_the_total()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        await SendAsync(alice, bob.User.Username, "string", "one");
        await SendAsync(alice, bob.User.Username, "string", "two");
        await Api.SendAsync(bob.User, (await Api.ChatsAsync(bob.User)).GetProperty("chats")[0].Str("id"), "three from v1");

        var all = (await alice.Browser.GetAsync($"/chat/{bob.Id}")).Json();
        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(
            [$"{alice.User.Username}: one", $"{alice.User.Username}: two", $"{bob.User.Username}: three from v1"],
            all.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));

        var newest = (await bob.Browser.GetAsync($"/chat/{alice.Id}?page=1&limit=2")).Json();
        Assert.Equal(3, newest.GetProperty("total").GetInt32());
        Assert.Equal([$"{alice.User.Username}: two", $"{bob.User.Username}: three from v1"],
            newest.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));
        var older = (await bob.Browser.GetAsync($"/chat/{alice.Id}?page=2&limit=2")).Json();
        Assert.Equal([$"{alice.User.Username}: one"], older.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));

        var stranger = await PersonAsync("carol");
        var none = (await stranger.Browser.GetAsync($"/chat/{alice.Id}")).Json();
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        Assert.Equal(0, none.GetProperty("count").GetInt32());

        // Seed 002's chat page template.
        var page = await alice.Browser.GetAsync($"/messages/{bob.Id}");
        Assert.Contains($"<p>with {bob.Id}</p><ul><li>{alice.User.Username}: one</li><li>{alice.User.Username}: two</li>", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_list_partners_newest_first_and_unread_is_a_number()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var carol = await PersonAsync("carol");
        await SendAsync(bob, alice.User.Username, "string", "from bob");
        server.Server.Clock.Advance(TimeSpan.FromSeconds(1));
        var fromCarol = await SendAsync(carol, Text(alice.Id), "number", "from carol");
        await SendAsync(carol, Text(alice.Id), "number", "carol again");

        var list = (await alice.Browser.GetAsync("/conversations")).Json();
        Assert.Equal(2, list.GetProperty("n").GetInt32());
        var first = list.GetProperty("list")[0];
        Assert.Equal(carol.User.Username, first.Str("user"));
        Assert.Equal("carol again", first.Str("last"));
        Assert.Equal(2, first.GetProperty("unread").GetInt32());
        Assert.Equal(fromCarol.GetProperty("chat_id").GetInt64(), first.GetProperty("chat_id").GetInt64());
        Assert.Equal(bob.User.Username, list.GetProperty("list")[1].Str("user"));

        var unread = (await alice.Browser.GetAsync("/unread")).Json();
        Assert.Equal(3, unread.GetProperty("unread").GetInt32());
        Assert.Equal("integer", unread.Str("type"));
        Assert.Equal(3, await Api.UnreadAsync(alice.User));
        Assert.Equal(0, (await bob.Browser.GetAsync("/unread")).Json().GetProperty("unread").GetInt32());
    }

    [Fact]
    public async Task Get_finds_a_message_of_ones_own_chats_and_nil_for_anyone_else()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var carol = await PersonAsync("carol");
        var id = (await SendAsync(alice, bob.User.Username, "string", "secret")).GetProperty("id").GetInt64();

        var asBob = (await bob.Browser.GetAsync($"/get/{id}")).Json();
        Assert.True(asBob.GetProperty("found").GetBoolean());
        Assert.Equal(id, asBob.GetProperty("id").GetInt64());
        Assert.Equal("secret", asBob.Str("content"));
        Assert.True((await alice.Browser.GetAsync($"/get/msg_{id}")).Json().GetProperty("found").GetBoolean());
        Assert.False((await carol.Browser.GetAsync($"/get/{id}")).Json().GetProperty("found").GetBoolean());
        Assert.False((await alice.Browser.GetAsync("/get/987654321")).Json().GetProperty("found").GetBoolean());
    }

    [Fact]
    public async Task Edit_changes_ones_own_message_and_refuses_anyone_elses()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var sent = await SendAsync(alice, bob.User.Username, "string", "typo");
        var id = sent.GetProperty("id").GetInt64();

        var edited = await alice.Browser.PostFormAsync($"/edit/{id}", [new("content", "fixed")], csrf: null);
        Assert.Equal(200, edited.Code);
        Assert.Equal("fixed", edited.Json().Str("content"));
        Assert.True(edited.Json().GetProperty("edited").GetBoolean());
        Assert.Equal(["fixed"], await Api.ContentsAsync(bob.User, $"chat_{sent.GetProperty("chat_id").GetInt64()}"));

        var forged = await bob.Browser.PostFormAsync($"/edit/{id}", [new("content", "forged")], csrf: null);
        Assert.Equal(403, forged.Code);
        Assert.Contains("you can only edit your own messages", forged.Body, StringComparison.Ordinal);
        Assert.Equal("fixed", (await bob.Browser.GetAsync($"/get/{id}")).Json().Str("content"));
    }

    [Fact]
    public async Task Delete_is_true_for_ones_own_message_and_false_for_someone_elses()
    {
        var alice = await PersonAsync("alice");
        var bob = await PersonAsync("bob");
        var sent = await SendAsync(alice, bob.User.Username, "string", "to delete");
        var id = sent.GetProperty("id").GetInt64();

        var refused = (await bob.Browser.PostFormAsync($"/delete/{id}", [], csrf: null)).Json();
        Assert.False(refused.GetProperty("deleted").GetBoolean());
        Assert.Equal("boolean", refused.Str("type"));
        Assert.True((await bob.Browser.GetAsync($"/get/{id}")).Json().GetProperty("found").GetBoolean());

        Assert.True((await alice.Browser.PostFormAsync($"/delete/{id}", [], csrf: null)).Json().GetProperty("deleted").GetBoolean());
        Assert.False((await bob.Browser.GetAsync($"/get/{id}")).Json().GetProperty("found").GetBoolean());
        Assert.Empty(await Api.ContentsAsync(bob.User, $"chat_{sent.GetProperty("chat_id").GetInt64()}"));
        Assert.False((await alice.Browser.PostFormAsync($"/delete/{id}", [], csrf: null)).Json().GetProperty("deleted").GetBoolean());
    }
}
