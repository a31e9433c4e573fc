using Mirage.Accounts;
using Mirage.Hosting;

namespace Mirage.Notifications;

/// <summary><c>/v1/notifications</c> (seed 004): list, mark read, mark all read, dismiss. Owner only.</summary>
public static class NotificationEndpointsV1
{
    public static RouteGroupBuilder MapNotificationsV1(this RouteGroupBuilder v1)
    {
        var notifications = v1.MapGroup("/notifications").RequireAuthorization();
        notifications.MapGet("/", (CurrentUser user, NotificationService service, int? limit, string? cursor) =>
            service.ListAsync(user.Id, limit, cursor));
        notifications.MapPatch("/{id}/read", async (string id, CurrentUser user, NotificationService service) =>
        {
            await service.MarkReadAsync(user.Id, id);
            return new Message("Marked as read");
        });
        notifications.MapPost("/read-all", async (CurrentUser user, NotificationService service) =>
        {
            await service.MarkAllReadAsync(user.Id);
            return new Message("All marked as read");
        });
        notifications.MapDelete("/{id}", async (string id, CurrentUser user, NotificationService service) =>
        {
            await service.DismissAsync(user.Id, id);
            return new Message("Notification dismissed");
        });
        return v1;
    }
}
