using System.Net;
using Dapper;
using Mirage.Data;
using Mirage.Tests.Infrastructure;
using Npgsql;

namespace Mirage.Tests.Realtime;

/// <summary>
/// Mirage behind PgBouncer in transaction mode (<c>MIRAGE_TEST_PGBOUNCER</c>: a connection string to it, in front of
/// the server <c>MIRAGE_TEST_POSTGRES</c> names). Queries go through the pooler, LISTEN goes straight to PostgreSQL.
/// </summary>
public sealed class PgBouncerServer : KestrelPostgresServer
{
    public const string BouncerVariable = "MIRAGE_TEST_PGBOUNCER";

    private static readonly string? Bouncer = Environment.GetEnvironmentVariable(BouncerVariable);

    public override string? Unavailable => base.Unavailable
        ?? (string.IsNullOrWhiteSpace(Bouncer) ? $"{BouncerVariable} is not set: PgBouncer tests skipped" : null);

    /// <summary>The settings for a database <paramref name="direct"/> names: queries through PgBouncer, LISTEN direct.</summary>
    public static Dictionary<string, string?> Behind(string direct) => new()
    {
        ["Mirage:Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(Bouncer)
        {
            Database = new NpgsqlConnectionStringBuilder(direct).Database,
        }.ToString(),
        ["Mirage:Database:ListenConnectionString"] = direct,
    };

    protected override async ValueTask<IReadOnlyDictionary<string, string?>> PrepareDatabaseAsync()
    {
        var settings = new Dictionary<string, string?>(await base.PrepareDatabaseAsync());
        foreach (var (key, value) in Behind(settings["Mirage:Database:ConnectionString"]!))
        {
            settings[key] = value;
        }
        return settings;
    }
}

public sealed class PgBouncerTests(PgBouncerServer server) : IClassFixture<PgBouncerServer>
{
    [Fact]
    public async Task A_message_sent_through_one_node_reaches_a_stream_on_another()
    {
        _ = server.Factory; // skips when unavailable, before a second node is made
        var nodeB = server.CreateFactory();
        var addressB = server.Start(nodeB);
        try
        {
            var api = server.Client;
            var (alice, bob) = (await api.NewUserAsync(), await api.NewUserAsync());
            await using var onB = await SseClient.ConnectAsync(addressB, bob.Token);
            await onB.NextOfTypeAsync("ready");

            await (await api.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = "via the pooler" }, alice.Token))
                .ShouldBe(HttpStatusCode.OK);

            var heard = await onB.NextOfTypeAsync("message.created");
            Assert.Equal("via the pooler", heard.Data.Str("content"));
        }
        finally
        {
            await nodeB.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_nodes_cold_starting_at_once_migrate_the_database_exactly_once()
    {
        _ = server.Factory; // skips when unavailable
        var admin = Environment.GetEnvironmentVariable(PostgresServer.Variable);
        for (var round = 0; round < 3; round++)
        {
            var name = "mirage_test_cold_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(admin!, $"CREATE DATABASE {name}");
            var direct = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
            var nodes = Enumerable.Range(0, 3).Select(_ => server.CreateFactory(PgBouncerServer.Behind(direct))).ToList();
            try
            {
                await Task.WhenAll(nodes.Select(node => Task.Run(() => server.Start(node))));
                await using var connection = new NpgsqlConnection(direct);
                var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
                Assert.Equal(MigrationRunner.Embedded("postgres").Select(m => (long)m.Version), versions);
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(admin!, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync(sql);
    }
}
