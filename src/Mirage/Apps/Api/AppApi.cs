using System.Text.Json;
using Microsoft.Extensions.Options;
using Mirage.Common;

namespace Mirage.Apps.Api;

/// <summary>Routes <c>api.DOMAIN.NAME</c> calls to their bindings; answers are serialized like the JSON APIs' (snake_case).</summary>
public sealed class AppApi(
    MessagesApi messages, UsersApi users, PostsApi posts, RoomsApi rooms, NotificationsApi notifications,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public JsonSerializerOptions JsonOptions => json.Value.SerializerOptions;

    public Task<object?> CallAsync(string op, AppVisit visit, HostArguments arguments)
    {
        var dot = op.IndexOf('.', 4);
        var domain = dot > 0 ? op[4..dot] : "";
        var name = dot > 0 ? op[(dot + 1)..] : "";
        return domain switch
        {
            "messages" => messages.MessagesAsync(name, visit, arguments),
            "chats" => messages.ChatsAsync(name, visit, arguments),
            "users" => users.CallAsync(name, visit, arguments),
            "posts" => posts.CallAsync(name, visit, arguments),
            "rooms" => rooms.RoomsAsync(name, visit, arguments),
            "files" => rooms.FilesAsync(name, visit, arguments),
            "notifications" => notifications.CallAsync(name, visit, arguments),
            _ => throw MirageException.NotFound($"{op} does not exist"),
        };
    }
}
