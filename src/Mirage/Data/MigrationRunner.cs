using System.Data.Common;
using System.Reflection;
using Dapper;
using Mirage.Common;

namespace Mirage.Data;

/// <summary>
/// Applies the embedded <c>Migrations/{dialect}/NNNN_name.sql</c> files in order, each in its own transaction,
/// recording applied versions in <c>schema_migrations</c>. Refuses to run against a database that a newer
/// Mirage has migrated: old code on a new schema could corrupt data.
/// </summary>
public sealed partial class MigrationRunner(IDatabase database, TimeProvider clock, ILogger<MigrationRunner> logger)
{
    // Any constant shared by all nodes: serialises migrations when several start at once.
    private const long PostgresLockKey = 0x4D495241_47450001;

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Embedded(string dialect)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"migrations/{dialect}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^4]))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration Load(Assembly assembly, string resource, string fileName)
    {
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(fileName[..underscore], out var version))
        {
            throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_name.sql");
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName[(underscore + 1)..], reader.ReadToEnd());
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrations = Embedded(database.Dialect.Name);
        await using var connection = await OpenAsync(cancellationToken);
        while (await ApplyNextAsync(connection, migrations, cancellationToken))
        {
        }
    }

    /// <summary>
    /// Applies the first migration not yet applied, in a transaction that first takes the migration lock, and says
    /// whether there was one. The lock is the transaction's own (<c>pg_advisory_xact_lock</c>): a session lock
    /// does not hold behind a transaction pooler such as PgBouncer, where consecutive statements of one client
    /// may run on different server sessions (two nodes then ran the same migration at once).
    /// </summary>
    private async Task<bool> ApplyNextAsync(DbConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database is PostgresDatabase)
        {
            // Another node's migration may run for a long time: neither the wait for it nor a migration has a deadline.
            await connection.ExecuteAsync(
                "SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0; SELECT pg_advisory_xact_lock(@key)",
                new { key = PostgresLockKey }, transaction);
        }
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: transaction);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: transaction)).ToHashSet();
        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var tooNew = applied.Where(v => v > newest).ToList();
        if (tooNew.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database has schema version {tooNew.Max()} but this Mirage knows versions up to {newest}. " +
                "Run a newer Mirage (or restore a backup); refusing to start.");
        }
        if (migrations.FirstOrDefault(m => !applied.Contains(m.Version)) is not { } migration)
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }
        await connection.ExecuteAsync(migration.Sql, transaction: transaction);
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @now)",
            new { migration.Version, migration.Name, now = clock.NowMs() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        LogApplied(migration.Version, migration.Name);
        return true;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database switch
    {
        SqliteDatabase sqlite => await sqlite.OpenMaintenanceConnectionAsync(cancellationToken),
        PostgresDatabase postgres => await postgres.DataSource.OpenConnectionAsync(cancellationToken),
        _ => throw new InvalidOperationException("Unknown database provider"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} {Name}")]
    private partial void LogApplied(int version, string name);
}
