using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mirage.Data;
using Mirage.Hosting;
using Mirage.Tests.Infrastructure;
using Npgsql;

namespace Mirage.Tests.Data;

/// <summary>A lock timeout short enough to test.</summary>
public sealed class ShortLockTimeoutPostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:Database:LockTimeout", "00:00:00.500")];
}

/// <summary>
/// Every wait on PostgreSQL is bounded: a frozen or dead node's transaction cannot make other nodes wait for long,
/// and its session ends once keepalives find the peer gone.
/// </summary>
public sealed class PostgresBoundedWaitTests(ShortLockTimeoutPostgresServer server) : IClassFixture<ShortLockTimeoutPostgresServer>
{
    private Task<string> ShowAsync(string setting) =>
        server.Database.ReadAsync(db => db.QuerySingleAsync<string>($"SHOW {setting}"));

    [Fact]
    public async Task Sessions_carry_timeouts_and_keepalives()
    {
        Assert.Equal("500ms", await ShowAsync("lock_timeout"));
        Assert.Equal("30s", await ShowAsync("statement_timeout"));
        Assert.Equal("10s", await ShowAsync("idle_in_transaction_session_timeout"));
        Assert.Equal("30", await ShowAsync("tcp_keepalives_idle"));
        var connectionString = new NpgsqlConnectionStringBuilder(((PostgresDatabase)server.Database).DataSource.ConnectionString);
        Assert.True(connectionString.TcpKeepAlive);
        Assert.Equal(30, connectionString.TcpKeepAliveTime);
    }

    [Fact]
    public async Task A_write_waiting_on_a_lock_held_elsewhere_gives_up()
    {
        var api = server.Client;
        await api.NewUserAsync();
        var options = server.Factory.Services.GetRequiredService<IOptions<MirageOptions>>().Value.Database;
        await using var other = new NpgsqlConnection(options.ConnectionString);
        await other.OpenAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("SELECT id FROM users FOR UPDATE", other, holding))
        {
            await lockRows.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        var failed = await Assert.ThrowsAsync<PostgresException>(() =>
            server.Database.WriteAsync(db => db.ExecuteAsync("UPDATE users SET description = 'x'")).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, failed.SqlState);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData("Host=h;Options=-c lock_timeout=9s", "-c lock_timeout=9s -c statement_timeout=30000")]
    [InlineData("Host=h;Tcp Keepalive=false", null)]
    public void An_operators_own_settings_win(string connectionString, string? expectedStart)
    {
        var completed = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Complete(connectionString, new DatabaseOptions()));
        if (expectedStart is not null)
        {
            Assert.StartsWith(expectedStart, completed.Options);
        }
        if (connectionString.Contains("Keepalive", StringComparison.Ordinal))
        {
            Assert.False(completed.TcpKeepAlive);
        }
    }
}
