using System.Net;
using System.Text.Json;
using Dapper;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Rooms;

public sealed class RoomTestsOnSqlite(SqliteServer server) : RoomTests(server), IClassFixture<SqliteServer>;

public sealed class RoomTestsOnPostgres(PostgresServer server) : RoomTests(server), IClassFixture<PostgresServer>;

/// <summary>Creating, joining, leaving, deleting and listing rooms on /api: seed 001 and the original's answers.</summary>
public abstract class RoomTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Seed_001_join_a_chat_room()
    {
        var owner = await Api.NewUserAsync("owner");
        var user = await Api.NewUserAsync("yourname");
        var general = RoomTestApi.NewRoomName("General Chat");
        var vip = RoomTestApi.NewRoomName("VIP Lounge");
        var generalId = await Api.CreateRoomAsync(owner, general);
        var vipId = await Api.CreateRoomAsync(owner, vip, isPrivate: true, password: "secret123");

        // 1. Browse: public rooms only, with joined.
        var rooms = (await (await Api.GetAsync("/api/rooms", user.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("rooms");
        var listed = rooms.EnumerateArray().Single(r => r.GetProperty("room_id").GetInt64() == generalId);
        Assert.Equal(general, listed.Str("name"));
        Assert.False(listed.GetProperty("joined").GetBoolean());
        Assert.DoesNotContain(rooms.EnumerateArray(), r => r.GetProperty("room_id").GetInt64() == vipId);

        // 2. Join a public room, and a private one with its password.
        var joined = await (await Api.PostAsync("/api/join_room", new { name = general }, user.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal($"{user.Username} joined room \"{general}\"", joined.Str("message"));
        Assert.Equal(generalId, joined.GetProperty("room_id").GetInt64());
        Assert.Equal(general, joined.Str("room_name"));
        var joinedVip = await (await Api.PostAsync("/api/join_room", new { name = vip, password = "secret123" }, user.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(vipId, joinedVip.GetProperty("room_id").GetInt64());

        // 3. Send.
        var sent = await (await Api.PostAsync("/api/send_room_message", new { room_id = generalId, message = "Hey everyone! Happy to be here." }, user.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("sent", sent.Str("message"));

        // 4. Read.
        var messages = (await (await Api.GetAsync($"/api/get_room_messages?room_id={generalId}", user.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("messages");
        var message = Assert.Single(messages.EnumerateArray());
        Assert.Equal(user.Username, message.Str("username"));
        Assert.Equal("Hey everyone! Happy to be here.", message.Str("message"));
        Assert.Equal(generalId, message.GetProperty("room_id").GetInt64());
        Assert.Equal(JsonValueKind.Number, message.GetProperty("created_at").ValueKind);
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(message.GetProperty("created_at").GetDouble() * 1000));
        Assert.True(Math.Abs((server.Clock.GetUtcNow() - sentAt).TotalMinutes) < 1);
        Assert.Equal(["created_at", "message", "room_id", "username"], message.EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("\"0\"", false)]
    [InlineData("\"1\"", true)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public async Task Is_private_may_be_a_number_a_string_or_a_bool(string isPrivate, bool expected)
    {
        var owner = await Api.NewUserAsync();
        var name = RoomTestApi.NewRoomName();

        var response = await Api.PostRawAsync("/api/create_room", $"{{\"room_name\":\"{name}\",\"is_private\":{isPrivate},\"password\":\"pw\"}}", token: owner.Token);

        var body = await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"room \"{name}\" created", body.Str("message"));
        var mine = (await (await Api.GetAsync("/api/user_rooms", owner.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("rooms");
        var room = mine.EnumerateArray().Single(r => r.GetProperty("room_id").GetInt64() == body.GetProperty("room_id").GetInt64());
        Assert.Equal(expected ? 1 : 0, room.GetProperty("is_private").GetInt32());
    }

    [Fact]
    public async Task Create_room_validates_its_fields()
    {
        var owner = await Api.NewUserAsync();
        async Task Refused(object body, string message) =>
            await (await Api.PostAsync("/api/create_room", body, owner.Token)).ShouldFail(HttpStatusCode.BadRequest, message);

        await Refused(new { is_private = 0 }, "invalid fields received");
        await Refused(new { room_name = "   " }, "invalid fields received");
        await Refused(new { room_name = new string('r', 65) }, "room name must be 1-64 characters without control characters");
        await Refused(new { room_name = "bad\nname" }, "room name must be 1-64 characters without control characters");
        await Refused(new { room_name = RoomTestApi.NewRoomName(), is_private = 1 }, "a private room needs a password");
        await Refused(new { room_name = RoomTestApi.NewRoomName(), is_private = 1, password = new string('p', 257) }, "room password must be at most 256 characters");
        await Refused(new { room_name = RoomTestApi.NewRoomName(), is_private = "maybe" }, "invalid value for 'is_private'");
        await (await Api.PostRawAsync("/api/create_room", "{\"room_name\":", token: owner.Token)).ShouldFail(HttpStatusCode.BadRequest);

        // 64 characters (emoji count once) and surrounding spaces trimmed.
        var longest = new string('é', 62) + "😀" + Guid.NewGuid().ToString("N")[..1];
        var created = await (await Api.PostAsync("/api/create_room", new { room_name = $"  {longest}  " }, owner.Token)).ShouldBe(HttpStatusCode.Created);
        Assert.Equal($"room \"{longest}\" created", created.Str("message"));
    }

    [Fact]
    public async Task Room_names_are_unique_case_insensitively()
    {
        var owner = await Api.NewUserAsync();
        var other = await Api.NewUserAsync();
        var name = RoomTestApi.NewRoomName("Tech Talk");
        await Api.CreateRoomAsync(owner, name);

        await (await Api.PostAsync("/api/create_room", new { room_name = name.ToUpperInvariant() }, other.Token)).ShouldFail(HttpStatusCode.BadRequest, "room already exists");
        await (await Api.PostAsync("/api/create_room", new { room_name = $" {name.ToLowerInvariant()} ", is_private = 1, password = "x" }, other.Token)).ShouldFail(HttpStatusCode.BadRequest, "room already exists");
    }

    [Fact]
    public async Task Concurrent_creations_of_one_name_make_one_room()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Api.NewUserAsync()));
        var name = RoomTestApi.NewRoomName();

        var responses = await Task.WhenAll(users.Select(u => Api.PostAsync("/api/create_room", new { room_name = name }, u.Token)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.ShouldFail(HttpStatusCode.BadRequest, "room already exists");
        }
    }

    [Fact]
    public async Task Joining_checks_name_and_password()
    {
        var owner = await Api.NewUserAsync();
        var user = await Api.NewUserAsync();
        var (_, name) = await Api.NewRoomAsync(owner, isPrivate: true, password: "secret123");
        async Task Join(object body, HttpStatusCode status, string message) =>
            await (await Api.PostAsync("/api/join_room", body, user.Token)).ShouldFail(status, message);

        await Join(new { password = "secret123" }, HttpStatusCode.BadRequest, "missing room name or token");
        await Join(new { name = "  " }, HttpStatusCode.BadRequest, "missing room name or token");
        await Join(new { name = RoomTestApi.NewRoomName("Nowhere") }, HttpStatusCode.NotFound, "room not found");
        await Join(new { name }, HttpStatusCode.Forbidden, "password required");
        await Join(new { name, password = "" }, HttpStatusCode.Forbidden, "password required");
        await Join(new { name, password = "Secret123" }, HttpStatusCode.Forbidden, "wrong password");
        await (await Api.PostAsync("/api/join_room", new { name }, null)).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.DoesNotContain(name, await MemberRoomNamesAsync(user));

        // The name is matched case-insensitively; the answer names the room as created.
        var joined = await (await Api.PostAsync("/api/join_room", new { name = name.ToUpperInvariant(), password = "secret123" }, user.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(name, joined.Str("room_name"));
        Assert.Contains(name, await MemberRoomNamesAsync(user));
    }

    [Fact]
    public async Task Joining_twice_is_harmless_and_never_duplicates_a_membership()
    {
        var owner = await Api.NewUserAsync();
        var user = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Api.JoinAsync(user, name, "pw")));
        // A member gets back in without the password.
        await Api.JoinAsync(user, name);

        var members = await (await Api.GetAsync($"/api/room_members/{roomId}", owner.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([owner.Username, user.Username], members.GetProperty("members").Strings());
        var room = await (await Api.GetAsync($"/v1/rooms/room_{roomId}", user.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, room.GetProperty("room").GetProperty("member_count").GetInt64());
    }

    [Fact]
    public async Task Room_lists_show_public_rooms_and_the_users_own()
    {
        var owner = await Api.NewUserAsync();
        var user = await Api.NewUserAsync();
        var (publicId, publicName) = await Api.NewRoomAsync(owner);
        var (privateId, privateName) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        await Api.JoinAsync(user, privateName, "pw");

        var rooms = (await (await Api.GetAsync("/api/rooms", user.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("rooms").EnumerateArray().ToList();
        var listed = rooms.Single(r => r.GetProperty("room_id").GetInt64() == publicId);
        Assert.Equal(publicName, listed.Str("name"));
        Assert.False(listed.GetProperty("joined").GetBoolean());
        Assert.DoesNotContain(rooms, r => r.GetProperty("room_id").GetInt64() == privateId);
        var ownerView = (await (await Api.GetAsync("/api/rooms", owner.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("rooms");
        Assert.True(ownerView.EnumerateArray().Single(r => r.GetProperty("room_id").GetInt64() == publicId).GetProperty("joined").GetBoolean());

        var mine = (await (await Api.GetAsync("/api/user_rooms", user.Token)).ShouldBe(HttpStatusCode.OK)).GetProperty("rooms");
        var only = Assert.Single(mine.EnumerateArray());
        Assert.Equal(privateId, only.GetProperty("room_id").GetInt64());
        Assert.Equal(privateName, only.Str("name"));
        Assert.Equal(1, only.GetProperty("is_private").GetInt32());
    }

    [Fact]
    public async Task Members_of_a_private_room_are_for_its_members_only()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (publicId, publicName) = await Api.NewRoomAsync(owner);
        var (privateId, privateName) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        await Api.JoinAsync(member, privateName, "pw");
        await Api.JoinAsync(member, publicName);

        var publicMembers = await (await Api.GetAsync($"/api/room_members/{publicId}", stranger.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([owner.Username, member.Username], publicMembers.GetProperty("members").Strings());
        var privateMembers = await (await Api.GetAsync($"/api/room_members/{privateId}", member.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([owner.Username, member.Username], privateMembers.GetProperty("members").Strings());

        await (await Api.GetAsync($"/api/room_members/{privateId}", stranger.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.GetAsync($"/api/room_members/{long.MaxValue}", stranger.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.GetAsync("/api/room_members/abc", stranger.Token)).ShouldFail(HttpStatusCode.BadRequest, "invalid room id");
        await (await Api.GetAsync($"/api/room_members/{publicId}")).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Members_leave_and_the_owner_cannot()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner);
        await Api.JoinAsync(member, name);

        var left = await (await Api.PostAsync("/api/leave_room", new { room_id = roomId }, member.Token)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal($"{member.Username} left room \"{name}\"", left.Str("message"));
        Assert.DoesNotContain(name, await MemberRoomNamesAsync(member));
        await (await Api.PostAsync("/api/send_room_message", new { room_id = roomId, message = "still here?" }, member.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.PostAsync("/api/leave_room", new { room_id = roomId }, member.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.PostAsync("/api/leave_room", new { room_id = roomId }, owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "the owner cannot leave the room; delete it instead");
        await (await Api.PostAsync("/api/leave_room", new { room_id = long.MaxValue }, member.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.PostAsync("/api/leave_room", new { }, member.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing room id");
        var room = await (await Api.GetAsync($"/v1/rooms/{roomId}", owner.Token, bearer: true)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, room.GetProperty("room").GetProperty("member_count").GetInt64());
        // Leaving is not final: a public room can be joined again.
        await Api.JoinAsync(member, name);
    }

    [Fact]
    public async Task Only_the_owner_deletes_a_room_and_everything_in_it_goes()
    {
        var owner = await Api.NewUserAsync();
        var member = await Api.NewUserAsync();
        var stranger = await Api.NewUserAsync();
        var (roomId, name) = await Api.NewRoomAsync(owner, isPrivate: true, password: "pw");
        await Api.JoinAsync(member, name, "pw");
        await Api.SendAsync(member, roomId, "soon gone");

        await (await Api.PostAsync("/api/delete_room", new { room_id = roomId }, member.Token)).ShouldFail(HttpStatusCode.Forbidden, "only the owner can delete this room");
        await (await Api.PostAsync("/api/delete_room", new { room_id = roomId }, stranger.Token)).ShouldFail(HttpStatusCode.Forbidden, "you are not in this room");
        await (await Api.PostAsync("/api/delete_room", new { }, owner.Token)).ShouldFail(HttpStatusCode.BadRequest, "missing room id");
        var deleted = await (await Api.PostAsync("/api/delete_room", new { room_id = roomId }, owner.Token)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal($"room \"{name}\" deleted", deleted.Str("message"));
        await (await Api.PostAsync("/api/delete_room", new { room_id = roomId }, owner.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.GetAsync($"/api/get_room_messages?room_id={roomId}", member.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        await (await Api.PostAsync("/api/join_room", new { name, password = "pw" }, member.Token)).ShouldFail(HttpStatusCode.NotFound, "room not found");
        Assert.DoesNotContain(name, await MemberRoomNamesAsync(member));
        var leftovers = await server.Database.ReadAsync(db => db.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM room_members WHERE room_id = @roomId) + (SELECT COUNT(*) FROM room_messages WHERE room_id = @roomId)",
            new { roomId }));
        Assert.Equal(0, leftovers);
        // The name is free again.
        await Api.CreateRoomAsync(stranger, name);
    }

    [Fact]
    public async Task Room_passwords_are_stored_hashed()
    {
        var owner = await Api.NewUserAsync();
        var (roomId, _) = await Api.NewRoomAsync(owner, isPrivate: true, password: "hunter2-room");

        var stored = await server.Database.ReadAsync(db => db.ExecuteScalarAsync<string>("SELECT password_hash FROM rooms WHERE id = @roomId", new { roomId }));

        Assert.False(string.IsNullOrEmpty(stored));
        Assert.DoesNotContain("hunter2-room", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/rooms")]
    [InlineData("GET", "/api/user_rooms")]
    [InlineData("GET", "/api/room_members/1")]
    [InlineData("GET", "/api/get_room_messages?room_id=1")]
    [InlineData("POST", "/api/create_room")]
    [InlineData("POST", "/api/join_room")]
    [InlineData("POST", "/api/leave_room")]
    [InlineData("POST", "/api/delete_room")]
    [InlineData("POST", "/api/send_room_message")]
    [InlineData("POST", "/api/upload_file")]
    public async Task Every_room_endpoint_needs_a_valid_token(string method, string path)
    {
        foreach (var token in new[] { null, "not-a-token" })
        {
            var content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null;
            await (await Api.SendAsync(new HttpMethod(method), path, content, token, false)).ShouldFail(HttpStatusCode.Unauthorized, "unauthorized");
        }
    }

    private async Task<List<string>> MemberRoomNamesAsync(TestUser user)
    {
        var rooms = await (await Api.GetAsync("/api/user_rooms", user.Token)).ShouldBe(HttpStatusCode.OK);
        return rooms.GetProperty("rooms").EnumerateArray().Select(r => r.Str("name")).ToList();
    }
}
