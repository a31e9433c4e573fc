using Microsoft.Extensions.Options;
using Mirage.Hosting;
using Npgsql;

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
                ? new PostgresDatabase(new NpgsqlDataSourceBuilder(WithAutoPrepare(options.Database.ConnectionString!)).Build(), sp.GetRequiredService<ILogger<PostgresDatabase>>())
                : new SqliteDatabase(Path.Combine(options.FullDataDirectory, "mirage.db"), sp.GetRequiredService<ILogger<SqliteDatabase>>());
        });
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrateOnStart>();
        return services;
    }

    /// <summary>
    /// Npgsql prepares a statement on the server once it has run twice when "Max Auto Prepare" is set; every store
    /// reuses a fixed set of SQL texts, so that saves the parse and plan on almost every query. An operator's own
    /// setting wins (0 turns it off, e.g. behind PgBouncer in transaction mode).
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 128;
        }
        return builder.ConnectionString;
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
