using Mirage.Realtime;

namespace Mirage.Messaging;

public static class MessagingFeature
{
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddSingleton<MessagingEvents>();
        services.AddSingleton<MessagingService>();
        services.AddSingleton<IStreamCommandHandler, TypingCommandHandler>();
        services.AddHostedService<PresenceAnnouncer>();
        return services;
    }
}
