using System.Net;
using Mirage.Tests.Files;
using Mirage.Tests.Infrastructure;
using Mirage.Tests.Realtime;

namespace Mirage.Tests.Rooms;

public sealed class RoomEventTestsOnSqlite(KestrelSqliteServer server) : RoomEventTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class RoomEventTestsOnPostgres(KestrelPostgresServer server) : RoomEventTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>Room messages reach the room's members on /v1/stream as <c>room.message</c>, and nobody else.</summary>
public abstract class RoomEventTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Members_hear_room_messages_and_outsiders_do_not()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var outsider = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner);
        var (outsidersRoom, _) = await Api.NewRoomAsync(outsider);
        await Api.JoinAsync(member, name);
        await using var memberStream = await SseClient.ConnectAsync(server.BaseAddress, member.Token);
        await using var outsiderStream = await SseClient.ConnectAsync(server.BaseAddress, outsider.Token);
        await memberStream.NextOfTypeAsync("ready");
        await outsiderStream.NextOfTypeAsync("ready");

        await Api.SendAsync(owner, roomId, "hello members");
        var upload = await (await Api.UploadAsync(owner, "/api/upload_file", UploadTestApi.RoomField(roomId), UploadTestApi.FilePart("hi"u8.ToArray(), "hi.txt"))).ShouldBe(HttpStatusCode.OK);

        var first = await memberStream.NextStoredAsync();
        Assert.Equal("room.message", first.Type);
        Assert.Equal($"room_{roomId}", first.Data.Str("room_id"));
        Assert.Equal("hello members", first.Data.Str("content"));
        Assert.Equal(owner.Username, first.Data.GetProperty("author").Str("username"));
        Assert.Matches("^rmsg_[0-9]+$", first.Data.Str("id"));
        var second = await memberStream.NextStoredAsync();
        Assert.Equal(upload.Str("file_url"), second.Data.Str("content"));

        // The outsider's first event is from their own room: nothing of the other room reached them.
        await Api.SendAsync(outsider, outsidersRoom, "marker");
        var outsidersFirst = await outsiderStream.NextStoredAsync();
        Assert.Equal("marker", outsidersFirst.Data.Str("content"));
    }

    [Fact]
    public async Task A_member_who_leaves_stops_hearing_the_room_at_once()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner);
        await Api.JoinAsync(member, name);
        await using var memberStream = await SseClient.ConnectAsync(server.BaseAddress, member.Token);
        await memberStream.NextOfTypeAsync("ready");
        await Api.SendAsync(owner, roomId, "while a member");
        Assert.Equal("while a member", (await memberStream.NextStoredAsync()).Data.Str("content"));

        await (await Api.PostAsync("/api/leave_room", new { room_id = roomId }, member.Token)).ShouldBe(HttpStatusCode.OK);
        await Api.SendAsync(owner, roomId, "after they left");
        var (ownRoom, _) = await Api.NewRoomAsync(member);
        await Api.SendAsync(member, ownRoom, "marker");

        Assert.Equal("marker", (await memberStream.NextStoredAsync()).Data.Str("content"));
    }

    [Fact]
    public async Task A_member_who_reconnects_gets_the_room_messages_they_missed_from_when_they_joined()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var latecomer = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner);
        await Api.JoinAsync(member, name);
        long memberLast, latecomerLast;
        await using (var memberStream = await SseClient.ConnectAsync(server.BaseAddress, member.Token))
        await using (var latecomerStream = await SseClient.ConnectAsync(server.BaseAddress, latecomer.Token))
        {
            memberLast = (await memberStream.NextOfTypeAsync("ready")).Data.GetProperty("last_event_id").GetInt64();
            latecomerLast = (await latecomerStream.NextOfTypeAsync("ready")).Data.GetProperty("last_event_id").GetInt64();
        }

        await Api.SendAsync(owner, roomId, "before the latecomer");
        server.Clock.Advance(TimeSpan.FromMilliseconds(5));
        await Api.JoinAsync(latecomer, name);
        await Api.SendAsync(owner, roomId, "after the latecomer");

        await using var memberResumed = await SseClient.ConnectAsync(server.BaseAddress, member.Token, lastEventId: memberLast);
        var missed = new[] { await memberResumed.NextStoredAsync(), await memberResumed.NextStoredAsync() };
        Assert.Equal(["before the latecomer", "after the latecomer"], missed.Select(e => e.Data.Str("content")));
        StreamTestKit.AssertIncreasing([memberLast, .. missed.Select(e => e.Id!.Value)]);
        var ready = await memberResumed.NextOfTypeAsync("ready");
        AssertStandsAt(missed[^1].Id!.Value, ready);

        await using var latecomerResumed = await SseClient.ConnectAsync(server.BaseAddress, latecomer.Token, lastEventId: latecomerLast);
        var latecomersMissed = await latecomerResumed.NextStoredAsync();
        Assert.Equal("after the latecomer", latecomersMissed.Data.Str("content"));
        AssertStandsAt(latecomersMissed.Id!.Value, await latecomerResumed.NextOfTypeAsync("ready"));
    }

    /// <summary>The stream stands at the last event sent; on PostgreSQL at the horizon, which may be past it (StreamOrder).</summary>
    private void AssertStandsAt(long lastSent, ReceivedEvent ready)
    {
        var standsAt = ready.Data.GetProperty("last_event_id").GetInt64();
        Assert.True(server.Provider == "sqlite" ? standsAt == lastSent : standsAt >= lastSent, $"ready at {standsAt}, last event {lastSent}");
    }
}
