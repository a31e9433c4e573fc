using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Rooms;

/// <summary>The Mirage-compatible room endpoints under <c>/api</c>, with the original's shapes and messages.</summary>
public static class RoomEndpoints
{
    public static RouteGroupBuilder MapRoomsApi(this RouteGroupBuilder api)
    {
        var rooms = api.MapGroup("").RequireAuthorization();
        rooms.MapPost("/create_room", Create);
        rooms.MapPost("/join_room", Join);
        rooms.MapPost("/leave_room", Leave);
        rooms.MapPost("/delete_room", Delete);
        rooms.MapGet("/rooms", PublicRooms);
        rooms.MapGet("/user_rooms", UserRooms);
        rooms.MapGet("/room_members/{id}", Members);
        rooms.MapPost("/send_room_message", Send);
        rooms.MapGet("/get_room_messages", Messages);
        rooms.MapPost("/upload_file", Upload).WithMetadata(UploadBodyLimit.For(api));
        return api;
    }

    private static async Task<JsonHttpResult<CreateRoomResponse>> Create(CreateRoomRequest request, CurrentUser user, RoomService rooms)
    {
        var room = await rooms.CreateAsync(user, request.RoomName, request.IsPrivate, request.Password);
        return TypedResults.Json(new CreateRoomResponse($"room \"{room.Name}\" created", room.Id), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JoinRoomResponse> Join(JoinRoomRequest request, CurrentUser user, RoomService rooms)
    {
        var room = await rooms.JoinByNameAsync(user, request.Name, request.Password);
        return new JoinRoomResponse($"{user.Username} joined room \"{room.Name}\"", room.Id, room.Name);
    }

    private static async Task<Message> Leave(RoomIdRequest request, CurrentUser user, RoomService rooms)
    {
        var room = await rooms.LeaveAsync(user, RoomRules.RoomId(request.RoomId));
        return new Message($"{user.Username} left room \"{room.Name}\"");
    }

    private static async Task<Message> Delete(RoomIdRequest request, CurrentUser user, RoomService rooms)
    {
        var room = await rooms.DeleteAsync(user, RoomRules.RoomId(request.RoomId));
        return new Message($"room \"{room.Name}\" deleted");
    }

    private static async Task<PublicRoomsResponse> PublicRooms(CurrentUser user, RoomService rooms) =>
        new((await rooms.ListPublicAsync(user)).Select(r => new PublicRoomItem(r.Id, r.Name, r.Joined)).ToList());

    private static async Task<UserRoomsResponse> UserRooms(CurrentUser user, RoomService rooms) =>
        new((await rooms.ListJoinedAsync(user)).Select(r => new UserRoomItem(r.Id, r.Name, r.IsPrivate ? 1 : 0)).ToList());

    private static async Task<RoomMembersResponse> Members(string id, CurrentUser user, RoomService rooms) =>
        new((await rooms.MembersAsync(user, RoomRules.RoomId(id))).Select(m => m.Username).ToList());

    private static async Task<Message> Send(SendRoomMessageRequest request, CurrentUser user, RoomMessageService messages)
    {
        await messages.SendAsync(user, request.RoomId, request.Message);
        return new Message("sent");
    }

    /// <summary>Seed 003. <c>since</c> (epoch seconds) and <c>limit</c> are additions for clients that poll.</summary>
    private static async Task<RoomMessagesResponse> Messages(
        [FromQuery(Name = "room_id")] string? roomId, double? since, int? limit, CurrentUser user, RoomMessageService messages)
    {
        var id = RoomRules.RoomId(roomId, "missing token or room id");
        var rows = await messages.ListAsync(user, id, since, limit);
        return new RoomMessagesResponse(rows.Select(RoomMessageItem.From).ToList());
    }

    private static async Task<UploadResponse> Upload(
        [FromQuery(Name = "room_id")] string? roomId, HttpRequest request, CurrentUser user, RoomUploadService uploads)
    {
        var known = string.IsNullOrWhiteSpace(roomId) ? (long?)null : RoomRules.RoomId(roomId);
        var upload = await uploads.UploadAsync(user, request, known);
        return new UploadResponse("File uploaded successfully", upload.Url);
    }
}

/// <summary>
/// Lets an upload endpoint's body exceed <c>Mirage:MaxRequestBytes</c>: up to <c>Mirage:Uploads:MaxBytes</c> plus
/// the multipart framing. The file itself is held to MaxBytes while it streams.
/// </summary>
public sealed record UploadBodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    public static UploadBodyLimit For(IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MirageOptions>>().Value;
        return new UploadBodyLimit(options.Uploads.MaxBytes + RoomUploadService.MultipartOverhead);
    }
}
