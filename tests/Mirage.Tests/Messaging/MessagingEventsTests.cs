using System.Net;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Realtime;

namespace Mirage.Tests.Messaging;

public sealed class MessagingEventsTestsOnSqlite(KestrelSqliteServer server) : MessagingEventsTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class MessagingEventsTestsOnPostgres(KestrelPostgresServer server) : MessagingEventsTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>What messaging puts on /v1/stream (docs/realtime.md): messages, chats, notifications, typing.</summary>
public abstract class MessagingEventsTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    private async Task<SseClient> StreamAsync(TestUser user)
    {
        var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token);
        await stream.NextOfTypeAsync("ready");
        return stream;
    }

    [Fact]
    public async Task Messages_reach_every_participant_and_the_recipient_is_notified()
    {
        var (alice, bob) = (await Api.NewUserAsync("alice"), await Api.NewUserAsync("bob"));
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await using var aliceStream = await StreamAsync(alice);
        await using var bobStream = await StreamAsync(bob);

        var sent = await Api.SendAsync(alice, dm, "hello over the wire");
        var notified = await bobStream.NextStoredAsync();
        Assert.Equal("notification.created", notified.Type);
        Assert.Equal("new_message", notified.Data.Str("type"));
        Assert.Equal(sent.Str("id"), notified.Data.GetProperty("data").Str("message_id"));
        foreach (var stream in new[] { bobStream, aliceStream })
        {
            var created = await stream.NextStoredAsync();
            Assert.Equal("message.created", created.Type);
            Assert.Equal(sent.Str("id"), created.Data.Str("id"));
            Assert.Equal(dm, created.Data.Str("chat_id"));
            Assert.Equal("hello over the wire", created.Data.Str("content"));
            Assert.Equal(alice.Username, created.Data.GetProperty("author").Str("username"));
        }

        await (await Api.PatchAsync($"/v1/messages/msg/{sent.Str("id")}", new { content = "edited" }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        var updated = await bobStream.NextStoredAsync();
        Assert.Equal(("message.updated", "edited"), (updated.Type, updated.Data.Str("content")));
        await (await Api.DeleteAsync($"/v1/messages/msg/{sent.Str("id")}", alice.Token)).ShouldBe(HttpStatusCode.OK);
        var deleted = await bobStream.NextStoredAsync();
        Assert.Equal(("message.deleted", sent.Str("id"), ""), (deleted.Type, deleted.Data.Str("id"), deleted.Data.Str("content")));
        Assert.Equal("message.updated", (await aliceStream.NextStoredAsync()).Type);
        Assert.Equal("message.deleted", (await aliceStream.NextStoredAsync()).Type);
    }

    [Fact]
    public async Task Chats_are_announced_to_each_participant_with_their_own_view()
    {
        var (alice, bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        await using var bobStream = await StreamAsync(bob);
        await using var carolStream = await StreamAsync(carol);

        var group = (await (await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { bob.Username }, type = "group" }, alice.Token, bearer: true))
            .ShouldBe(HttpStatusCode.Created)).GetProperty("chat").Str("id");
        var created = await bobStream.NextStoredAsync();
        Assert.Equal(("chat.updated", group, "group"), (created.Type, created.Data.Str("id"), created.Data.Str("type")));
        Assert.Equal(2, created.Data.GetProperty("chat_participants").GetArrayLength());

        await Api.SendAsync(alice, group, "unread for bob");
        await bobStream.NextOfTypeAsync("message.created");
        await (await Api.PostAsync($"/v1/messages/{group}/invite", new { user_id = carol.Username }, alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var forBob = await bobStream.NextStoredAsync();
        var forCarol = await carolStream.NextStoredAsync();
        Assert.Equal(("chat.updated", 3), (forBob.Type, forBob.Data.GetProperty("chat_participants").GetArrayLength()));
        Assert.Equal(1, forBob.Data.GetProperty("unread_count").GetInt64());
        Assert.Equal(("chat.updated", group, 0L), (forCarol.Type, forCarol.Data.Str("id"), forCarol.Data.GetProperty("unread_count").GetInt64()));

        await (await Api.PatchAsync($"/v1/messages/{group}", new { name = "Renamed" }, carol.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Renamed", (await bobStream.NextStoredAsync()).Data.Str("name"));
        Assert.Equal("Renamed", (await carolStream.NextStoredAsync()).Data.Str("name"));

        // Reading and archiving concern the reader only: their other devices hear of it.
        await (await Api.PostAsync($"/v1/messages/{group}/read", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var read = await bobStream.NextStoredAsync();
        Assert.Equal(("chat.updated", 0L), (read.Type, read.Data.GetProperty("unread_count").GetInt64()));
        await (await Api.PostAsync($"/v1/messages/{group}/archive", null, bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.True((await bobStream.NextStoredAsync()).Data.GetProperty("archived").GetBoolean());
        // Carol's next stored event is the marker, not Bob's read or archive.
        await server.Factory.EmitAsync(await Api.UserIdAsync(carol), "test.marker", new { });
        Assert.Equal("test.marker", (await carolStream.NextStoredAsync()).Type);
    }

    [Fact]
    public async Task Follows_replies_and_mentions_are_announced_as_notifications()
    {
        var (bob, carol) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        await using var bobStream = await StreamAsync(bob);

        await (await Api.PostAsync("/api/follow", new { username = bob.Username }, carol.Token)).ShouldBe(HttpStatusCode.OK);
        var follow = await bobStream.NextStoredAsync();
        Assert.Equal(("notification.created", "follow"), (follow.Type, follow.Data.Str("type")));
        Assert.Equal(await Api.IdOfAsync(carol), follow.Data.GetProperty("data").Str("follower_id"));

        var post = await (await Api.PostAsync("/api/create_post", new { content = "a post by bob" }, bob.Token)).ShouldBe(HttpStatusCode.Created);
        var postId = post.GetProperty("post_id").GetInt64();
        await (await Api.PostAsync("/api/reply_to_post", new { post_id = postId, content = "nice one" }, carol.Token)).ShouldBe(HttpStatusCode.Created);
        var reply = await bobStream.NextStoredAsync();
        Assert.Equal(("notification.created", "reply", $"post_{postId}"),
            (reply.Type, reply.Data.Str("type"), reply.Data.GetProperty("data").Str("post_id")));

        await (await Api.PostAsync("/api/create_post", new { content = $"hello @{bob.Username}" }, carol.Token)).ShouldBe(HttpStatusCode.Created);
        var mention = await bobStream.NextStoredAsync();
        Assert.Equal(("notification.created", "mention"), (mention.Type, mention.Data.Str("type")));

        var listed = await (await Api.GetAsync("/v1/notifications", bob.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(mention.Data.Str("id"), listed.GetProperty("notifications")[0].Str("id"));
    }

    [Fact]
    public async Task A_legacy_inbox_message_is_pushed_like_a_v1_one_over_websocket()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        await using var bobSocket = await WsClient.ConnectAsync(server.BaseAddress, bob.Token);
        await bobSocket.NextOfTypeAsync("ready");
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = "via the old api" }, alice.Token))
            .ShouldBe(HttpStatusCode.OK);
        var created = await bobSocket.NextOfTypeAsync("message.created");
        Assert.Equal("via the old api", created.Data.Str("content"));
        Assert.Equal(alice.Username, created.Data.GetProperty("author").Str("username"));
        Assert.StartsWith("chat_", created.Data.Str("chat_id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outsiders_hear_nothing()
    {
        var (alice, bob, mallory) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        await using var malloryStream = await StreamAsync(mallory);
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        await Api.SendAsync(alice, dm, "secret");
        await (await Api.PostAsync($"/v1/messages/{dm}/typing", null, alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        await server.Factory.EmitAsync(await Api.UserIdAsync(mallory), "test.marker", new { });
        var first = await malloryStream.NextAsync();
        Assert.Equal("test.marker", first!.Type);
    }

    [Fact]
    public async Task Typing_goes_to_the_other_participants_over_http_and_websocket()
    {
        var (alice, bob, mallory) = (await Api.NewUserAsync(), await Api.NewUserAsync(), await Api.NewUserAsync());
        var dm = await Api.CreateChatIdAsync(alice, bob.Username);
        var aliceId = await Api.IdOfAsync(alice);
        await using var bobStream = await StreamAsync(bob);

        var typed = await (await Api.PostAsync($"/v1/messages/{dm}/typing", null, alice.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Typing sent", typed.Str("message"));
        var typing = await bobStream.NextOfTypeAsync("typing");
        Assert.Null(typing.Id);
        Assert.Equal((dm, aliceId), (typing.Data.Str("chat_id"), typing.Data.Str("user_id")));
        await (await Api.PostAsync($"/v1/messages/{dm}/typing", null, mallory.Token, bearer: true)).ShouldFailV1(HttpStatusCode.NotFound, "chat not found");

        await using var aliceSocket = await WsClient.ConnectAsync(server.BaseAddress, alice.Token);
        await aliceSocket.NextOfTypeAsync("ready");
        await aliceSocket.SendAsync($$"""{"type":"typing","chat_id":"{{dm}}"}""");
        Assert.Equal(dm, (await bobStream.NextOfTypeAsync("typing")).Data.Str("chat_id"));
        await aliceSocket.SendAsync("""{"type":"typing","chat_id":"chat_999999999"}""");
        Assert.Equal("chat not found", (await aliceSocket.NextOfTypeAsync("error")).Data.Str("error"));
        await aliceSocket.SendAsync("""{"type":"typing"}""");
        Assert.Equal("typing needs a chat_id", (await aliceSocket.NextOfTypeAsync("error")).Data.Str("error"));
    }
}
