namespace Mirage.Rooms;

public static class RoomsFeature
{
    public static IServiceCollection AddRooms(this IServiceCollection services)
    {
        services.AddSingleton<RoomService>();
        services.AddSingleton<RoomMessageService>();
        services.AddSingleton<RoomUploadService>();
        services.AddHostedService<RoomRetentionSweeper>();
        return services;
    }
}
