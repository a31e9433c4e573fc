using System.Net;
using System.Text.Json;
using Mirage.Tests.Files;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Rooms;

public sealed class RoomV1TestsOnSqlite(SqliteServer server) : RoomV1Tests(server), IClassFixture<SqliteServer>;

public sealed class RoomV1TestsOnPostgres(PostgresServer server) : RoomV1Tests(server), IClassFixture<PostgresServer>;

/// <summary><c>/v1/rooms</c>: the same rules in the seed-004 style, with problem details for errors.</summary>
public abstract class RoomV1Tests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Create_get_and_list_rooms()
    {
        var owner = await Api.NewUserAsync();
        var name = RoomTestApi.NewRoomName("Project Alpha");

        var created = await (await Api.PostAsync("/v1/rooms", new { name, is_private = true, password = "pw" }, owner.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);

        var room = created.GetProperty("room");
        var id = room.Str("id");
        Assert.Matches("^room_[0-9]+$", id);
        Assert.Equal(name, room.Str("name"));
        Assert.True(room.GetProperty("is_private").GetBoolean());
        Assert.Equal(await OwnIdAsync(owner), room.Str("owner_id"));
        Assert.Equal(1, room.GetProperty("member_count").GetInt64());
        Assert.True(room.GetProperty("joined").GetBoolean());
        var createdAt = DateTimeOffset.Parse(room.Str("created_at"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((server.Clock.GetUtcNow() - createdAt).TotalMinutes) < 1);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", room.Str("created_at"));
        Assert.Equal(room.Str("created_at"), createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(room.GetRawText(), (await (await Api.GetAsync($"/v1/rooms/{id}", owner.Token, bearer: true)).ShouldBe(HttpStatusCode.OK)).GetProperty("room").GetRawText());

        var duplicate = await Api.PostAsync("/v1/rooms", new { name = name.ToLowerInvariant() }, owner.Token, bearer: true);
        await duplicate.ShouldFail(HttpStatusCode.BadRequest, "room already exists");
        Assert.Equal("application/problem+json", duplicate.ContentType()!.MediaType);
    }

    [Fact]
    public async Task The_list_pages_through_visible_rooms_only()
    {
        var owner = await Api.NewUserAsync();
        var reader = await Api.NewUserAsync();
        var (hiddenId, _) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        var (publicId, _) = await Api.NewRoomAsync(owner);
        var (ownPrivateId, _) = await Api.NewRoomAsync(reader, isPrivate: true, password: "pw");

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await Api.GetAsync($"/v1/rooms?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}", reader.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
            var rooms = page.GetProperty("rooms").EnumerateArray().ToList();
            Assert.True(rooms.Count <= 1);
            seen.AddRange(rooms.Select(r => long.Parse(r.Str("id")["room_".Length..], System.Globalization.CultureInfo.InvariantCulture)));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.Str("next_cursor");
            pages++;
        }
        while (cursor is not null && pages < 10_000);

        Assert.Contains(publicId, seen);
        Assert.Contains(ownPrivateId, seen);
        Assert.DoesNotContain(hiddenId, seen);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Distinct().Count(), seen.Count);

        var joined = await (await Api.GetAsync("/v1/rooms?joined=true&limit=50", reader.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([$"room_{ownPrivateId}"], joined.GetProperty("rooms").EnumerateArray().Select(r => r.Str("id")));
        await (await Api.GetAsync("/v1/rooms?cursor=garbage!", reader.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "invalid cursor");
        await (await Api.GetAsync("/v1/rooms?limit=0", reader.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "limit must be a positive number");
    }

    [Fact]
    public async Task Join_leave_members_and_delete_by_id()
    {
        var owner = await Api.NewUserAsync();
        var user = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        var id = $"room_{roomId}";

        await (await Api.GetAsync($"/v1/rooms/{id}", user.Token, bearer: true)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.GetAsync($"/v1/rooms/{id}/members", user.Token, bearer: true)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.PostAsync($"/v1/rooms/{id}/join", null, user.Token, bearer: true)).ShouldFail(HttpStatusCode.Forbidden, "password required");
        await (await Api.PostAsync($"/v1/rooms/{id}/join", new { password = "nope" }, user.Token, bearer: true)).ShouldFail(HttpStatusCode.Forbidden, "wrong password");
        var joined = await (await Api.PostAsync($"/v1/rooms/{id}/join", new { password = "pw" }, user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.True(joined.GetProperty("room").GetProperty("joined").GetBoolean());
        Assert.Equal(2, joined.GetProperty("room").GetProperty("member_count").GetInt64());

        var members = await (await Api.GetAsync($"/v1/rooms/{id}/members", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        var profiles = members.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal([owner.Username, user.Username], profiles.Select(p => p.Str("username")));
        Assert.Equal(await OwnIdAsync(user), profiles[1].Str("id"));
        Assert.Equal(["avatar_url", "first_name", "id", "last_name", "username"], profiles[1].EnumerateObject().Select(p => p.Name).Order());

        Assert.Equal("Left room", (await (await Api.PostAsync($"/v1/rooms/{id}/leave", null, user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK)).Str("message"));
        await (await Api.DeleteAsync($"/v1/rooms/{id}", user.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        Assert.Equal("Room deleted", (await (await Api.DeleteAsync($"/v1/rooms/{id}", owner.Token)).ShouldBe(HttpStatusCode.OK)).Str("message"));
        await (await Api.GetAsync($"/v1/rooms/{id}", owner.Token, bearer: true)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.GetAsync("/v1/rooms/chat_1", owner.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "invalid room id");
        await (await Api.GetAsync("/v1/rooms")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_deleted_rooms_message_ids_are_never_handed_out_again()
    {
        var owner = await Api.NewUserAsync();
        var (firstRoom, _) = await Api.NewRoomAsync(owner);
        var gone = await SendAsync(owner, firstRoom, "soon gone");
        await (await Api.DeleteAsync($"/v1/rooms/room_{firstRoom}", owner.Token)).ShouldBe(HttpStatusCode.OK);

        // The deleted message was the newest of all: a table numbered by its rowid would give its id to the next one.
        var (secondRoom, _) = await Api.NewRoomAsync(owner);
        var next = await SendAsync(owner, secondRoom, "after");

        Assert.True(next > gone, $"rmsg_{next} was handed out after rmsg_{gone} was deleted");
    }

    private async Task<long> SendAsync(TestUser user, long roomId, string content)
    {
        var sent = await (await Api.PostAsync($"/v1/rooms/room_{roomId}/messages", new { content }, user.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        return long.Parse(sent.GetProperty("message").Str("id")["rmsg_".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Messages_are_sent_and_paged_in_the_seed_004_style()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var id = $"room_{roomId}";
        await (await Api.PostAsync("/api/user/settings", new { first_name = "Alex", last_name = "Johnson" }, owner.Token)).ShouldBe(HttpStatusCode.OK);

        var sent = await (await Api.PostAsync($"/v1/rooms/{id}/messages", new { content = "m1" }, owner.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);

        var message = sent.GetProperty("message");
        Assert.Matches("^rmsg_[0-9]+$", message.Str("id"));
        Assert.Equal(id, message.Str("room_id"));
        Assert.Equal(await OwnIdAsync(owner), message.Str("user_id"));
        Assert.Equal("m1", message.Str("content"));
        Assert.EndsWith("Z", message.Str("created_at"), StringComparison.Ordinal);
        var author = message.GetProperty("author");
        Assert.Equal(await OwnIdAsync(owner), author.Str("id"));
        Assert.Equal(owner.Username, author.Str("username"));
        Assert.Equal("Alex", author.Str("first_name"));
        Assert.Equal("Johnson", author.Str("last_name"));
        Assert.Equal(JsonValueKind.Null, author.GetProperty("avatar_url").ValueKind);

        for (var i = 2; i <= 5; i++)
        {
            await (await Api.PostAsync($"/v1/rooms/{id}/messages", new { content = $"m{i}" }, owner.Token, bearer: true)).ShouldBe(HttpStatusCode.Created);
        }
        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var page = await (await Api.GetAsync($"/v1/rooms/{id}/messages?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}", owner.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
            pages.Add(page.GetProperty("messages").EnumerateArray().Select(m => m.Str("content")).ToList());
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.Str("next_cursor");
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([["m4", "m5"], ["m2", "m3"], ["m1"]], pages);
        await (await Api.PostAsync($"/v1/rooms/{id}/messages", new { content = "" }, owner.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "content is required");
        await (await Api.PostAsync($"/v1/rooms/{id}/messages", new { content = new string('x', 2001) }, owner.Token, bearer: true)).ShouldFail(HttpStatusCode.BadRequest, "message cannot exceed 2000 characters");
    }

    [Fact]
    public async Task Files_are_uploaded_to_a_room_by_id()
    {
        var owner = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner);
        var api = server.StreamingClient();

        var response = await api.UploadAsync(owner, $"/v1/rooms/room_{roomId}/files", UploadTestApi.FilePart("%PDF-1.7\n"u8.ToArray(), "spec.pdf"));

        var body = await response.ShouldBe(HttpStatusCode.Created);
        var file = body.GetProperty("file");
        Assert.Equal("spec.pdf", file.Str("name"));
        Assert.Equal("application/pdf", file.Str("content_type"));
        Assert.Equal(9, file.GetProperty("size").GetInt64());
        Assert.Equal(file.Str("url"), body.GetProperty("message").Str("content"));
        Assert.EndsWith($"/files/{file.Str("id")}/spec.pdf", file.Str("url"), StringComparison.Ordinal);
        await (await api.UploadAsync(stranger, $"/v1/rooms/room_{roomId}/files", UploadTestApi.FilePart("x"u8.ToArray()))).ShouldFail(HttpStatusCode.Forbidden, "You are not a member of this room");
    }

    private async Task<string> OwnIdAsync(TestUser user) =>
        (await (await Api.GetAsync("/v1/users/me", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK)).Str("id");
}
