using Mirage.Notifications;

namespace Mirage.Apps.Api;

/// <summary><c>api.notifications</c>: the visitor's notifications, unread count, read, read all, dismiss.</summary>
public sealed class NotificationsApi(NotificationService notifications)
{
    public async Task<object?> CallAsync(string name, AppVisit visit, HostArguments a)
    {
        var user = visit.User.Id;
        switch (name)
        {
            case "list":
                var options = a.Table(0);
                return await notifications.ListAsync(user, HostArguments.IntField(options, "limit"), HostArguments.Field(options, "cursor"));
            case "unread":
                return await notifications.CountUnreadAsync(user);
            case "read":
                await notifications.MarkReadAsync(user, Id(a));
                return true;
            case "read_all":
                return await notifications.MarkAllReadAsync(user);
            case "dismiss":
                await notifications.DismissAsync(user, Id(a));
                return true;
            default:
                return MessagesApi.Unknown("notifications", name);
        }
    }

    private static string Id(HostArguments a) => a[0] is long id ? $"notif_{id}" : a.RequiredText(0);
}
