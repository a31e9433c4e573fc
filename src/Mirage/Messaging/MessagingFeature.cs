namespace Mirage.Messaging;

public static class MessagingFeature
{
    public static IServiceCollection AddMessaging(this IServiceCollection services) =>
        services.AddSingleton<MessagingService>();
}
