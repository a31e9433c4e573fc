using Mirage.Accounts;
using Mirage.Common;
using Mirage.Files;
using Mirage.Rooms;

namespace Mirage.Apps.Api;

/// <summary><c>api.rooms</c>, <c>api.files</c>: rooms in the /v1 shape, their members and messages, uploads.</summary>
public sealed class RoomsApi(RoomService rooms, RoomMessageService messages, RoomUploadService uploads, FileService files)
{
    public async Task<object?> RoomsAsync(string name, AppVisit visit, HostArguments a)
    {
        var user = visit.User;
        switch (name)
        {
            case "list":
            case "joined":
                var options = a.Table(0);
                var page = await rooms.ListVisibleAsync(user, name == "joined", HostArguments.IntField(options, "limit"), HostArguments.Field(options, "cursor"));
                return new RoomListV1(page.Rooms.Select(RoomV1.From).ToList(), page.NextCursor);
            case "get":
                return await MessagesApi.NotFoundAsNull(async () => RoomV1.From(await rooms.GetAsync(user, RoomId(a))));
            case "create":
                var fields = a.Table(0);
                return RoomV1.From(await rooms.CreateAsync(user, HostArguments.Field(fields, "name"),
                    fields.GetValueOrDefault("is_private") is true or "1" or "on" or "true" or 1L, HostArguments.Field(fields, "password")));
            case "join":
                return RoomV1.From(a[0] is string byName && !PublicId.TryParse(byName, "room", out _)
                    ? await rooms.JoinByNameAsync(user, byName, a.Text(1))
                    : await rooms.JoinAsync(user, RoomId(a), a.Text(1)));
            case "leave":
                return RoomV1.From(await rooms.LeaveAsync(user, RoomId(a)));
            case "delete":
                await rooms.DeleteAsync(user, RoomId(a));
                return true;
            case "members":
                return (await rooms.MembersAsync(user, RoomId(a))).Select(UserProfile.From).ToList();
            case "messages":
                var paging = a.Table(1);
                var list = await messages.PageAsync(user, RoomId(a), HostArguments.IntField(paging, "limit"), HostArguments.Field(paging, "cursor"));
                return new RoomMessagesV1(list.Messages.Select(RoomMessageV1.From).ToList(), list.NextCursor);
            case "send":
                return RoomMessageV1.From(await messages.SendAsync(user, RoomId(a), a.Text(1), "content is required"));
            case "upload":
                return await UploadAsync(visit, RoomId(a), a);
            default:
                return MessagesApi.Unknown("rooms", name);
        }
    }

    private async Task<RoomFileResponseV1> UploadAsync(AppVisit visit, long roomId, HostArguments a)
    {
        var field = a[1] switch
        {
            string s => s,
            Dictionary<string, object?> file => HostArguments.Field(file, "field"),
            _ => null,
        } ?? "file";
        if (!visit.Files.Remove(field, out var uploaded))
        {
            throw MirageException.BadRequest("No file provided");
        }
        using (uploaded.Staged)
        {
            var upload = await uploads.StoreStagedAsync(visit.User, roomId, uploaded.Staged, uploaded.Name);
            return new RoomFileResponseV1(new RoomFileV1(upload.File.PublicId, upload.File.Name, upload.Url, upload.File.ContentType, upload.File.Size),
                RoomMessageV1.From(upload.Message));
        }
    }

    public async Task<object?> FilesAsync(string name, AppVisit visit, HostArguments a)
    {
        if (name != "get")
        {
            return MessagesApi.Unknown("files", name);
        }
        var file = await files.FindAsync(a.RequiredText(0));
        return file is null ? null : new RoomFileV1(file.PublicId, file.Name, files.Url(file.PublicId, file.Name), file.ContentType, file.Size);
    }

    private static long RoomId(HostArguments a) => a.Id(0, "room");
}
