using Mirage.Data;

namespace Mirage.Realtime;

public static class RealtimeFeature
{
    public static IServiceCollection AddRealtime(this IServiceCollection services)
    {
        services.AddSingleton<StreamHub>();
        services.AddSingleton<StreamDeliverer>();
        services.AddSingleton<StreamSession>();
        services.AddSingleton<StreamCommands>();
        services.AddSingleton<EventStream>();
        services.AddHostedService<StreamJanitor>();
        services.AddHostedService<StreamHeartbeat>();
        services.AddHostedService<StreamSessionWatcher>();
        // One node on SQLite delivers in-process; on PostgreSQL every node listens for every other's events.
        services.AddSingleton<IStreamBus>(sp => sp.GetRequiredService<IDatabase>() is PostgresDatabase postgres
            ? ActivatorUtilities.CreateInstance<PostgresStreamBus>(sp, postgres)
            : ActivatorUtilities.CreateInstance<InProcessStreamBus>(sp));
        services.AddHostedService(sp => sp.GetRequiredService<IStreamBus>() as BackgroundService ?? new NoBackgroundWork());
        return services;
    }

    private sealed class NoBackgroundWork : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
