using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Messaging;

public sealed class ChatTestsOnSqlite(SqliteServer server) : ChatTests(server), IClassFixture<SqliteServer>;

public sealed class ChatTestsOnPostgres(PostgresServer server) : ChatTests(server), IClassFixture<PostgresServer>;

/// <summary>POST /v1/messages/chat, PATCH, archive, invite: seed 004 and its documented errors.</summary>
public abstract class ChatTests(MirageServer server)
{
    protected MirageClient Api => server.Client;

    [Fact]
    public async Task One_participant_makes_a_dm_and_asking_again_returns_it_with_existing_true()
    {
        var (alice, bob) = (await Api.NewUserAsync("alice"), await Api.NewUserAsync("bob"));
        var aliceId = await Api.IdOfAsync(alice);
        var bobId = await Api.IdOfAsync(bob);

        var first = await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { bobId } }, alice.Token, bearer: true);
        var created = await first.ShouldBe(HttpStatusCode.Created);
        Assert.False(created.GetProperty("existing").GetBoolean());
        var chat = created.GetProperty("chat");
        Assert.StartsWith("chat_", chat.Str("id"), StringComparison.Ordinal);
        Assert.Equal("dm", chat.Str("type"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, chat.GetProperty("name").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, chat.GetProperty("avatar_url").ValueKind);
        Assert.Equal(chat.Str("created_at"), chat.Str("updated_at"));
        var participants = chat.GetProperty("chat_participants").EnumerateArray().ToList();
        Assert.Equal(new[] { aliceId, bobId }, participants.Select(p => p.Str("user_id")));
        Assert.Equal(bob.Username, participants[1].GetProperty("profiles").Str("username"));
        Assert.Equal(bobId, participants[1].GetProperty("profiles").Str("id"));

        // Bob asks for the same DM, by Alice's username this time.
        var again = await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { alice.Username } }, bob.Token, bearer: true);
        var existing = await again.ShouldBe(HttpStatusCode.OK);
        Assert.True(existing.GetProperty("existing").GetBoolean());
        Assert.Equal(chat.Str("id"), existing.GetProperty("chat").Str("id"));
    }

    [Fact]
    public async Task Participant_ids_accept_prefixed_ids_bare_numbers_json_numbers_and_usernames()
    {
        var (alice, bob, carol, dave) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var bobId = await Api.IdOfAsync(bob);
        var carolNumber = long.Parse((await Api.IdOfAsync(carol))["user_".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var daveId = await Api.IdOfAsync(dave);
        var body = $$"""{"participant_ids":["{{bobId}}", {{carolNumber}}, "{{daveId["user_".Length..]}}", "{{dave.Username.ToUpperInvariant()}}"],"name":"  Project Alpha  "}""";
        var response = await Api.SendAsync(HttpMethod.Post, "/v1/messages/chat",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), alice.Token, bearer: true);
        var chat = (await response.ShouldBe(HttpStatusCode.Created)).GetProperty("chat");
        Assert.Equal("group", chat.Str("type"));
        Assert.Equal("Project Alpha", chat.Str("name"));
        var members = chat.GetProperty("chat_participants").EnumerateArray().Select(p => p.GetProperty("profiles").Str("username")).ToList();
        Assert.Equal(new[] { alice.Username, bob.Username, carol.Username, dave.Username }, members);
    }

    [Fact]
    public async Task Creating_chats_validates_participants_and_type()
    {
        var alice = await Api.NewUserAsync();
        var bob = await Api.NewUserAsync();
        var aliceId = await Api.IdOfAsync(alice);
        var bobId = await Api.IdOfAsync(bob);
        async Task<HttpResponseMessage> Create(object body) => await Api.PostAsync("/v1/messages/chat", body, alice.Token, bearer: true);

        await (await Create(new { participant_ids = Array.Empty<string>() }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "participant_ids must be a non-empty array of user ids");
        await (await Create(new { name = "x" }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "participant_ids must be a non-empty array of user ids");
        await (await Create(new { participant_ids = new[] { aliceId } }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "participant_ids must name at least one user other than yourself");
        await (await Create(new { participant_ids = new[] { "user_999999999" } }))
            .ShouldFailV1(HttpStatusCode.NotFound, "user not found: user_999999999");
        await (await Create(new { participant_ids = new[] { bobId, "nobody_here_xyz" } }))
            .ShouldFailV1(HttpStatusCode.NotFound, "user not found: nobody_here_xyz");
        await (await Create(new { participant_ids = new[] { bobId }, type = "channel" }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "type must be \"dm\" or \"group\"");
        var carol = await Api.NewUserAsync();
        await (await Create(new { participant_ids = new[] { bobId, carol.Username }, type = "dm" }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "a dm is between you and exactly one other user");
        await (await Create(new { participant_ids = new object[] { new { id = 1 } } }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "invalid value for 'participant_ids'");
        await (await Create(new { participant_ids = new[] { bobId }, type = "group", name = new string('n', 101) }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "name must be at most 100 characters, without control characters");
        await (await Create(new { participant_ids = Enumerable.Repeat(bobId, 500).ToArray() }))
            .ShouldFailV1(HttpStatusCode.BadRequest, "a chat has at most 500 participants");

        // An explicit group with one other user is a group, never deduplicated like a DM.
        var group = await Create(new { participant_ids = new[] { bobId, bobId, aliceId }, type = "group" });
        var chat = (await group.ShouldBe(HttpStatusCode.Created)).GetProperty("chat");
        Assert.Equal("group", chat.Str("type"));
        Assert.Equal(2, chat.GetProperty("chat_participants").GetArrayLength());
        var dm = await Api.CreateChatIdAsync(alice, bobId);
        Assert.NotEqual(chat.Str("id"), dm);
    }

    [Fact]
    public async Task Concurrent_creation_of_the_same_dm_yields_one_chat()
    {
        var alice = await Api.NewUserAsync();
        var bob = await Api.NewUserAsync();
        var aliceId = await Api.IdOfAsync(alice);
        var bobId = await Api.IdOfAsync(bob);
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => i % 2 == 0
            ? Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { bobId } }, alice.Token, bearer: true)
            : Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { aliceId } }, bob.Token, bearer: true)));
        var bodies = new List<System.Text.Json.JsonElement>();
        foreach (var response in responses)
        {
            bodies.Add(await response.ShouldBe(response.StatusCode == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK));
        }
        Assert.Single(bodies.Select(b => b.GetProperty("chat").Str("id")).Distinct());
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, bodies.Count(b => b.GetProperty("existing").GetBoolean()));
        Assert.Single((await Api.ChatsAsync(alice)).GetProperty("chats").EnumerateArray());
        Assert.Equal(2, (await Api.ChatsAsync(bob)).GetProperty("chats")[0].GetProperty("chat_participants").GetArrayLength());
    }

    [Fact]
    public async Task Patch_changes_only_name_and_avatar_of_groups()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var group = await Api.CreateChatAsync(alice, bob.Username, carol.Username);
        var groupId = group.Str("id");
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var patched = await Api.PatchAsync($"/v1/messages/{groupId}",
            new { name = "Project Alpha v2", avatar_url = "https://cdn.example.com/groups/alpha-v2.jpg", type = "dm", id = "chat_1" }, bob.Token);
        var chat = (await patched.ShouldBe(HttpStatusCode.OK)).GetProperty("chat");
        Assert.Equal(groupId, chat.Str("id"));
        Assert.Equal("group", chat.Str("type"));
        Assert.Equal("Project Alpha v2", chat.Str("name"));
        Assert.Equal("https://cdn.example.com/groups/alpha-v2.jpg", chat.Str("avatar_url"));
        Assert.True(string.CompareOrdinal(chat.Str("updated_at"), group.Str("updated_at")) > 0, "updated_at moves");

        // Only the name: the avatar stays; an empty name clears it.
        chat = (await (await Api.PatchAsync($"/v1/messages/{groupId}", new { name = "" }, carol.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("chat");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, chat.GetProperty("name").ValueKind);
        Assert.Equal("https://cdn.example.com/groups/alpha-v2.jpg", chat.Str("avatar_url"));

        await (await Api.PatchAsync($"/v1/messages/{groupId}", new { avatar_url = "javascript:alert(1)" }, alice.Token))
            .ShouldFailV1(HttpStatusCode.BadRequest, "avatar_url must be an http or https URL");
        await (await Api.PatchAsync($"/v1/messages/{groupId}", new { topic = "x" }, alice.Token))
            .ShouldFailV1(HttpStatusCode.BadRequest, "nothing to update: send name and/or avatar_url");
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await (await Api.PatchAsync($"/v1/messages/{dm}", new { name = "Us" }, alice.Token))
            .ShouldFailV1(HttpStatusCode.BadRequest, "only group chats have a name and avatar");
        await (await Api.PatchAsync("/v1/messages/chat_999999999", new { name = "Us" }, alice.Token))
            .ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
    }

    [Fact]
    public async Task Invite_adds_to_groups_once_and_newcomers_start_with_nothing_unread()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var dave = await Api.NewUserAsync();
        var group = await Api.CreateChatIdAsync(alice, bob.Username, carol.Username);
        await Api.SendAsync(alice, group, "before dave");
        var daveId = await Api.IdOfAsync(dave);

        var invited = await (await Api.PostAsync($"/v1/messages/{group}/invite", new { user_id = daveId }, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("User added to chat", invited.Str("message"));
        var again = await (await Api.PostAsync($"/v1/messages/{group}/invite", new { user_id = dave.Username }, alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("User is already in the chat", again.Str("message"));

        var seen = await Api.ChatOfAsync(dave, group);
        Assert.Equal(4, seen.GetProperty("chat_participants").GetArrayLength());
        Assert.Equal(0, seen.GetProperty("unread_count").GetInt64());
        Assert.Equal(new[] { "before dave" }, await Api.ContentsAsync(dave, group));
        await Api.SendAsync(alice, group, "hi dave");
        Assert.Equal(1, await Api.UnreadAsync(dave));

        await (await Api.PostAsync($"/v1/messages/{group}/invite", new { user_id = "user_999999999" }, alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.NotFound, "user not found");
        await (await Api.PostAsync($"/v1/messages/{group}/invite", new { }, alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "user_id is required");
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await (await Api.PostAsync($"/v1/messages/{dm}/invite", new { user_id = daveId }, alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.BadRequest, "only group chats accept new participants");
    }

    [Fact]
    public async Task Archive_is_per_user_and_a_new_message_brings_the_chat_back_for_recipients()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await Api.SendAsync(alice, dm, "hello");

        var archived = await (await Api.PostAsync($"/v1/messages/{dm}/archive", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Chat archived", archived.Str("message"));
        Assert.Empty((await Api.ChatsAsync(bob)).GetProperty("chats").EnumerateArray());
        var inArchive = await Api.ChatOfAsync(bob, dm, "?archived=true");
        Assert.True(inArchive.GetProperty("archived").GetBoolean());
        Assert.False((await Api.ChatOfAsync(alice, dm)).GetProperty("archived").GetBoolean());
        Assert.Empty((await Api.ChatsAsync(alice, "?archived=true")).GetProperty("chats").EnumerateArray());

        // Bob's own message would not un-archive it for Bob; Alice's does.
        await Api.PostAsync($"/v1/messages/{dm}/archive", null, alice.Token, bearer: true);
        await Api.SendAsync(alice, dm, "are you there?");
        Assert.False((await Api.ChatOfAsync(bob, dm)).GetProperty("archived").GetBoolean());
        Assert.True((await Api.ChatOfAsync(alice, dm, "?archived=true")).GetProperty("archived").GetBoolean());

        var restored = await (await Api.PostAsync($"/v1/messages/{dm}/unarchive", null, alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Chat unarchived", restored.Str("message"));
        Assert.False((await Api.ChatOfAsync(alice, dm)).GetProperty("archived").GetBoolean());
        await (await Api.PostAsync("/v1/messages/chat_999999999/archive", null, alice.Token, bearer: true))
            .ShouldFailV1(HttpStatusCode.NotFound, "chat not found");
    }

    [Fact]
    public async Task Chat_endpoints_need_a_token()
    {
        await (await Api.GetAsync("/v1/messages")).ShouldFailV1(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { "user_1" } })).ShouldFailV1(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync("/v1/messages/unread", "not-a-token", bearer: true)).ShouldFailV1(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
