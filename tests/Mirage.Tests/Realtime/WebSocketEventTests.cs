using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

public sealed class WebSocketEventTestsOnSqlite(KestrelSqliteServer server) : WebSocketEventTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class WebSocketEventTestsOnPostgres(KestrelPostgresServer server) : WebSocketEventTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>Every stored event type also arrives over the WebSocket, in order, with the user's own ids.</summary>
public abstract class WebSocketEventTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Chat_message_room_and_notification_events_arrive_over_the_websocket()
    {
        var (alice, bob) = (await Api.NewUserAsync(), await Api.NewUserAsync());
        var room = (await (await Api.PostAsync("/api/create_room", new { room_name = MirageClient.UniqueName("ws"), is_private = 0 }, alice.Token))
            .ShouldBe(HttpStatusCode.Created));
        var roomId = room.GetProperty("room_id").GetInt64();
        var roomName = (await (await Api.GetAsync("/api/user_rooms", alice.Token)).ShouldBe(HttpStatusCode.OK))
            .GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("room_id").GetInt64() == roomId).Str("name");
        await (await Api.PostAsync("/api/join_room", new { name = roomName }, bob.Token)).ShouldBe(HttpStatusCode.OK);

        await using var ws = await WsClient.ConnectAsync(server.BaseAddress, bob.Token);
        var start = (await ws.NextOfTypeAsync("ready")).Data.GetProperty("last_event_id").GetInt64();

        var chat = (await (await Api.PostAsync("/v1/messages/chat", new { participant_ids = new[] { bob.Username }, type = "group", name = "ws group" },
            alice.Token, bearer: true)).ShouldBe(HttpStatusCode.Created)).GetProperty("chat").Str("id");
        var sent = (await (await Api.PostAsync($"/v1/messages/{chat}", new { content = "hi bob" }, alice.Token, bearer: true))
            .ShouldBe(HttpStatusCode.Created)).GetProperty("message").Str("id");
        await (await Api.PatchAsync($"/v1/messages/msg/{sent}", new { content = "hi bob!" }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.DeleteAsync($"/v1/messages/msg/{sent}", alice.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.PostAsync("/api/send_room_message", new { room_id = roomId, message = "hi room" }, alice.Token)).ShouldBe(HttpStatusCode.OK);
        await (await Api.PostAsync("/api/follow", new { username = bob.Username }, alice.Token)).ShouldBe(HttpStatusCode.OK);

        var received = new List<ReceivedEvent>();
        while (received.Count == 0 || received[^1].Type != "notification.created" || received[^1].Data.Str("type") != "follow")
        {
            var next = await ws.NextAsync() ?? throw new InvalidOperationException("stream ended");
            if (next.Id is not null)
            {
                received.Add(next);
            }
        }
        var types = received.Select(e => e.Type).ToList();
        foreach (var type in new[] { "chat.updated", "message.created", "message.updated", "message.deleted", "room.message", "notification.created" })
        {
            Assert.Contains(type, types);
        }
        StreamTestKit.AssertIncreasing([start, .. received.Select(e => e.Id!.Value)]);
        Assert.Equal("hi room", received.Single(e => e.Type == "room.message").Data.Str("content"));
        Assert.Equal("hi bob!", received.Single(e => e.Type == "message.updated").Data.Str("content"));
    }
}
