using Microsoft.Extensions.Options;
using Mirage.Hosting;

namespace Mirage.Data;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>Registers the provider chosen by <c>Mirage:Database:Provider</c> and the migration runner.</summary>
    public static IServiceCollection AddMirageDatabase(this IServiceCollection services)
    {
        services.AddSingleton<IDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MirageOptions>>().Value;
            return options.Database.IsPostgres
                ? PostgresDatabase.Create(options.Database, sp.GetRequiredService<ILogger<PostgresDatabase>>())
                : new SqliteDatabase(Path.Combine(options.FullDataDirectory, "mirage.db"), sp.GetRequiredService<ILogger<SqliteDatabase>>());
        });
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrateOnStart>();
        return services;
    }

    /// <summary>Migrates before anything else starts, so no request ever sees an old schema.</summary>
    private sealed class MigrateOnStart(MigrationRunner runner) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => runner.MigrateAsync(cancellationToken);
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
