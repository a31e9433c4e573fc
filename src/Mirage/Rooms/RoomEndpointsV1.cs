using Mirage.Hosting.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Rooms;

/// <summary><c>/v1/rooms</c>: the same rooms in the seed-004 style (prefixed ids, ISO times, author objects, cursors).</summary>
public static class RoomEndpointsV1
{
    public static RouteGroupBuilder MapRoomsV1(this RouteGroupBuilder v1)
    {
        var rooms = v1.MapGroup("/rooms").RequireAuthorization();
        rooms.MapGet("/", List);
        rooms.MapPost("/", Create);
        rooms.MapGet("/{id}", Get);
        rooms.MapDelete("/{id}", Delete);
        rooms.MapPost("/{id}/join", Join);
        rooms.MapPost("/{id}/leave", Leave);
        rooms.MapGet("/{id}/members", Members);
        rooms.MapGet("/{id}/messages", Messages);
        rooms.MapPost("/{id}/messages", Send).Idempotent();
        rooms.MapPost("/{id}/files", Upload).WithMetadata(UploadBodyLimit.For(v1));
        return v1;
    }

    /// <summary>Public rooms and the private ones the user is in; <c>?joined=true</c> for only the user's rooms.</summary>
    private static async Task<RoomListV1> List(bool? joined, int? limit, string? cursor, CurrentUser user, RoomService rooms)
    {
        var page = await rooms.ListVisibleAsync(user, joined ?? false, limit, cursor);
        return new RoomListV1(page.Rooms.Select(RoomV1.From).ToList(), page.NextCursor);
    }

    private static async Task<JsonHttpResult<RoomResponseV1>> Create(CreateRoomRequestV1 request, CurrentUser user, RoomService rooms)
    {
        var room = await rooms.CreateAsync(user, request.Name, request.IsPrivate, request.Password);
        return TypedResults.Json(new RoomResponseV1(RoomV1.From(room)), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<RoomResponseV1> Get(string id, CurrentUser user, RoomService rooms) =>
        new(RoomV1.From(await rooms.GetAsync(user, RoomRules.RoomId(id))));

    private static async Task<Message> Delete(string id, CurrentUser user, RoomService rooms)
    {
        await rooms.DeleteAsync(user, RoomRules.RoomId(id));
        return new Message("Room deleted");
    }

    /// <summary>The body is optional: public rooms need none, private rooms <c>{"password": "..."}</c>.</summary>
    private static async Task<RoomResponseV1> Join(string id, JoinRoomRequestV1? request, CurrentUser user, RoomService rooms) =>
        new(RoomV1.From(await rooms.JoinAsync(user, RoomRules.RoomId(id), request?.Password)));

    private static async Task<Message> Leave(string id, CurrentUser user, RoomService rooms)
    {
        await rooms.LeaveAsync(user, RoomRules.RoomId(id));
        return new Message("Left room");
    }

    private static async Task<RoomMembersV1> Members(string id, CurrentUser user, RoomService rooms) =>
        new((await rooms.MembersAsync(user, RoomRules.RoomId(id))).Select(UserProfile.From).ToList());

    private static async Task<RoomMessagesV1> Messages(string id, int? limit, string? cursor, CurrentUser user, RoomMessageService messages)
    {
        var page = await messages.PageAsync(user, RoomRules.RoomId(id), limit, cursor);
        return new RoomMessagesV1(page.Messages.Select(RoomMessageV1.From).ToList(), page.NextCursor);
    }

    private static async Task<JsonHttpResult<RoomMessageResponseV1>> Send(
        string id, SendRoomMessageRequestV1 request, CurrentUser user, RoomMessageService messages)
    {
        var message = await messages.SendAsync(user, RoomRules.RoomId(id), request.Content, "content is required");
        return TypedResults.Json(new RoomMessageResponseV1(RoomMessageV1.From(message)), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Multipart <c>file</c>; the room comes from the path, so membership is checked before the body is read.</summary>
    private static async Task<JsonHttpResult<RoomFileResponseV1>> Upload(string id, HttpRequest request, CurrentUser user, RoomUploadService uploads)
    {
        var upload = await uploads.UploadAsync(user, request, RoomRules.RoomId(id));
        var file = new RoomFileV1(upload.File.PublicId, upload.File.Name, upload.Url, upload.File.ContentType, upload.File.Size);
        return TypedResults.Json(new RoomFileResponseV1(file, RoomMessageV1.From(upload.Message)), statusCode: StatusCodes.Status201Created);
    }
}
