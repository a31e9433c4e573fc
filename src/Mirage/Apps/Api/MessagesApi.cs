using Mirage.Common;
using Mirage.Messaging;

namespace Mirage.Apps.Api;

/// <summary>
/// Seed 002's <c>api.messages</c> (exactly its seven functions) and <c>api.chats</c> (groups, archive, read markers,
/// typing), on the same MessagingService methods as <c>/api/inbox</c> and <c>/v1/messages</c>.
/// </summary>
public sealed class MessagesApi(MessagingService messaging)
{
    public async Task<object?> MessagesAsync(string name, AppVisit visit, HostArguments a)
    {
        var user = visit.User.Id;
        switch (name)
        {
            case "get":
                return await NotFoundAsNull(() => messaging.FindMessageAsync(user, a.Id(0, "msg")));
            case "send":
                return await messaging.SendDirectAsync(user, a.RequiredText(0), a.Text(1));
            case "chat":
                return await messaging.GetConversationAsync(user, a.RequiredText(0), a.SmallInteger(1), a.SmallInteger(2));
            case "conversations":
                return await messaging.ListConversationsAsync(user, a.SmallInteger(0));
            case "unread":
                return await messaging.CountUnreadAsync(user);
            case "edit":
                return await messaging.EditMessageAsync(user, a.Id(0, "msg"), a.Text(1));
            case "delete":
                try
                {
                    await messaging.DeleteMessageAsync(user, a.Id(0, "msg"));
                    return true;
                }
                catch (MirageException ex) when (ex.Status is 403 or 404)
                {
                    return false;
                }
            default:
                return Unknown("messages", name);
        }
    }

    public async Task<object?> ChatsAsync(string name, AppVisit visit, HostArguments a)
    {
        var user = visit.User.Id;
        switch (name)
        {
            case "list":
                var options = a.Table(0);
                var type = HostArguments.Field(options, "type");
                if (type is not (null or ChatTypes.Dm or ChatTypes.Group))
                {
                    throw MirageException.BadRequest("type must be \"dm\" or \"group\"");
                }
                return await messaging.ListChatsAsync(user, HostArguments.IntField(options, "limit"), HostArguments.Field(options, "cursor"),
                    options.GetValueOrDefault("archived") is true, type);
            case "get":
                return await NotFoundAsNull(() => messaging.GetChatAsync(user, a.Id(0, "chat")));
            case "create":
                var participants = a.List(0).Select(p => p switch
                {
                    long l => PublicId.Format(PublicId.User, l),
                    string s => s,
                    _ => throw MirageException.BadRequest("participants must be user ids or usernames"),
                }).ToList();
                return await messaging.CreateChatAsync(user, new CreateChatRequest(participants, a.Text(2), a.Text(1)));
            case "messages":
                var page = a.Table(1);
                return await messaging.GetMessagesAsync(user, a.Id(0, "chat"), HostArguments.IntField(page, "limit"), HostArguments.Field(page, "cursor"));
            case "send":
                return await messaging.SendAsync(user, a.Id(0, "chat"), a.Text(1));
            case "rename":
                return await messaging.UpdateChatAsync(user, a.Id(0, "chat"), new UpdateChatRequest(a.Text(1), a.Text(2)));
            case "invite":
                return await messaging.InviteAsync(user, a.Id(0, "chat"), a.RequiredText(1));
            case "archive":
            case "unarchive":
                await messaging.SetArchivedAsync(user, a.Id(0, "chat"), name == "archive");
                return true;
            case "read":
                return await messaging.MarkReadAsync(user, a.Id(0, "chat"), a.Text(1));
            case "typing":
                await messaging.TypingAsync(user, a.Id(0, "chat"));
                return true;
            default:
                return Unknown("chats", name);
        }
    }

    internal static async Task<object?> NotFoundAsNull<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (MirageException ex) when (ex.Status is 403 or 404)
        {
            return null;
        }
    }

    internal static object? Unknown(string domain, string name) =>
        throw MirageException.NotFound($"api.{domain}.{name} does not exist");
}
