namespace Mirage.Notifications;

public static class NotificationsFeature
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) =>
        services.AddSingleton<NotificationService>();
}
