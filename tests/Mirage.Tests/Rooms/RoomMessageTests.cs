using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Rooms;

public sealed class RoomMessageTestsOnSqlite(SqliteServer server) : RoomMessageTests(server), IClassFixture<SqliteServer>;

public sealed class RoomMessageTestsOnPostgres(PostgresServer server) : RoomMessageTests(server), IClassFixture<PostgresServer>;

/// <summary>send_room_message and get_room_messages: seed 003's statuses and errors, order, polling with since/limit.</summary>
public abstract class RoomMessageTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Get_room_messages_answers_as_seed_003_documents()
    {
        var owner = await Api.NewUserAsync("john");
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);

        var empty = await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", owner.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("messages").EnumerateArray());

        await (await Api.GetAsync("/api/get_room_messages", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing token or room id");
        await (await Api.GetAsync("/api/get_room_messages?room_id=", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing token or room id");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", "0b5c2a1e-0000-4000-8000-000000000000")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", stranger.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.GetAsync("/api/get_room_messages?room_id=forty-two", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "invalid room id");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={long.MaxValue}", owner.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
    }

    [Fact]
    public async Task Messages_come_oldest_first_with_epoch_second_times()
    {
        var john = await Api.NewUserAsync("john");
        var jane = await Api.NewUserAsync("jane");
        var (roomId, name) = await Api.NewRoomAsync(john);
        await Api.JoinAsync(jane, name);

        var before = server.Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        await Api.SendAsync(john, roomId, "Hello everyone!");
        server.Clock.Advance(TimeSpan.FromSeconds(22));
        await Api.SendAsync(jane, roomId, "Hi John!");

        var body = await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", jane.Token)).ShouldBe(HttpStatusCode.OK);
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["Hello everyone!", "Hi John!"], messages.Select(m => m.Str("message")));
        Assert.Equal([john.Username, jane.Username], messages.Select(m => m.Str("username")));
        Assert.All(messages, m => Assert.Equal(roomId, m.GetProperty("room_id").GetInt64()));
        var first = messages[0].GetProperty("created_at").GetDouble();
        var second = messages[1].GetProperty("created_at").GetDouble();
        Assert.InRange(first - before, 0, 5);
        Assert.InRange(second - first, 22, 27);
    }

    [Fact]
    public async Task Send_room_message_checks_its_fields_and_the_membership()
    {
        var owner = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        async Task Send(object body, TestUser user, HttpStatusCode status, string message) =>
            await (await Api.PostAsync("/api/send_room_message", body, user.Token)).ShouldFail(status, message);

        await Send(new { message = "hi" }, owner, HttpStatusCode.BadRequest, "missing fields");
        await Send(new { room_id = roomId }, owner, HttpStatusCode.BadRequest, "missing fields");
        await Send(new { room_id = roomId, message = " \n " }, owner, HttpStatusCode.BadRequest, "missing fields");
        await Send(new { room_id = 0, message = "hi" }, owner, HttpStatusCode.BadRequest, "missing fields");
        await Send(new { room_id = roomId, message = new string('m', 2001) }, owner, HttpStatusCode.BadRequest, "message cannot exceed 2000 characters");
        await Send(new { room_id = roomId, message = "hi" }, stranger, HttpStatusCode.Forbidden, "you are not in this room");
        await Send(new { room_id = long.MaxValue, message = "hi" }, owner, HttpStatusCode.NotFound, "room not found");
        await Send(new { room_id = new[] { 1 }, message = "hi" }, owner, HttpStatusCode.BadRequest, "invalid value for 'room_id'");
        await Send(new { room_id = roomId, message = 42 }, owner, HttpStatusCode.BadRequest, "invalid value for 'message'");
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId));

        // 2000 characters is the limit, counted as characters (each emoji is one).
        var longest = string.Concat(Enumerable.Repeat("😀", 2000));
        await Api.SendAsync(owner, roomId, longest);
        // The web client sends room_id as a number; a string works too. Text is kept as sent.
        await (await Api.PostAsync("/api/send_room_message", new { room_id = roomId.ToString(), message = "  spaced  " }, owner.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([longest, "  spaced  "], await Api.MessageTextsAsync(owner, roomId));
    }

    [Fact]
    public async Task Private_room_messages_are_for_members_only()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        await Api.JoinAsync(member, name, "pw");

        await Api.SendAsync(member, roomId, "members only");

        Assert.Equal(["members only"], await Api.MessageTextsAsync(owner, roomId));
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", stranger.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.PostAsync("/api/send_room_message", new { room_id = roomId, message = "let me in" }, stranger.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.GetAsync($"/v1/rooms/{roomId}/messages", stranger.Token, bearer: true)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
    }

    [Fact]
    public async Task Pollers_ask_for_what_came_since_and_at_most_limit()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        foreach (var text in new[] { "one", "two", "three", "four", "five" })
        {
            await Api.SendAsync(owner, roomId, text);
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        var all = await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", owner.Token)).ShouldBe(HttpStatusCode.OK);
        var third = all.GetProperty("messages")[2].GetProperty("created_at").GetDouble();

        Assert.Equal(["four", "five"], await Api.MessageTextsAsync(owner, roomId, $"&since={third:R}"));
        Assert.Equal(["four"], await Api.MessageTextsAsync(owner, roomId, $"&since={third:R}&limit=1"));
        Assert.Equal(["four", "five"], await Api.MessageTextsAsync(owner, roomId, "&limit=2"));
        Assert.Empty(await Api.MessageTextsAsync(owner, roomId, $"&since={server.Clock.GetUtcNow().ToUnixTimeSeconds() + 60}"));
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}&since=yesterday", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "invalid value for 'since'");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}&since=-5", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "since must be Unix epoch seconds");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}&limit=0", owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "limit must be a positive number");
    }
}
