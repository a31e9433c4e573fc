using System.Net;
using System.Text.Json;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Rooms;

/// <summary>Room steps the tests repeat, each through the real /api surface.</summary>
internal static class RoomTestApi
{
    public static string NewRoomName(string prefix = "Room") => $"{prefix} {Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 13)];

    public static async Task<long> CreateRoomAsync(this MirageClient api, TestUser owner, string name, bool isPrivate = false, string? password = null)
    {
        var response = await api.PostAsync("/api/create_room", new { room_name = name, is_private = isPrivate ? 1 : 0, password }, owner.Token);
        var body = await response.ShouldBe(HttpStatusCode.Created);
        return body.GetProperty("room_id").GetInt64();
    }

    public static async Task<(long Id, string Name)> NewRoomAsync(this MirageClient api, TestUser owner, bool isPrivate = false, string? password = null)
    {
        var name = NewRoomName(isPrivate ? "Private" : "Public");
        return (await api.CreateRoomAsync(owner, name, isPrivate, password), name);
    }

    public static async Task JoinAsync(this MirageClient api, TestUser user, string name, string? password = null) =>
        await (await api.PostAsync("/api/join_room", new { name, password }, user.Token)).ShouldBe(HttpStatusCode.OK);

    public static async Task SendAsync(this MirageClient api, TestUser user, long roomId, string message) =>
        await (await api.PostAsync("/api/send_room_message", new { room_id = roomId, message }, user.Token)).ShouldBe(HttpStatusCode.OK);

    /// <summary>The message texts get_room_messages returns, in order.</summary>
    public static async Task<List<string>> MessageTextsAsync(this MirageClient api, TestUser user, long roomId, string query = "")
    {
        var body = await (await api.GetAsync($"/api/get_room_messages?room_id={roomId}{query}", user.Token)).ShouldBe(HttpStatusCode.OK);
        return body.GetProperty("messages").EnumerateArray().Select(m => m.Str("message")).ToList();
    }

    public static List<string> Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
