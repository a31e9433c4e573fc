using System.Data.Common;
using System.Globalization;
using Mirage.Hosting;
using Npgsql;

namespace Mirage.Data;

/// <summary>
/// The operator's connection string, completed with what Mirage needs unless the operator chose otherwise: a
/// setting the string already names is left as it is.
/// </summary>
public static class PostgresConnectionStrings
{
    public static string ForQueries(DatabaseOptions options) => Complete(options.ConnectionString!, options);

    /// <summary>The LISTEN connection's: <c>ListenConnectionString</c>, or the main one.</summary>
    public static string ForListen(DatabaseOptions options) =>
        Complete(string.IsNullOrWhiteSpace(options.ListenConnectionString) ? options.ConnectionString! : options.ListenConnectionString, options);

    internal static string Complete(string connectionString, DatabaseOptions options)
    {
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Every store reuses a fixed set of SQL texts: preparing them on the server saves a parse and plan per query.
        // 0 turns it off (PgBouncer 1.18 in transaction mode cannot carry prepared statements).
        if (!named.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = 128;
        }
        var keepAlive = Seconds(options.TcpKeepAlive);
        // Without keepalives a peer that vanished without a reset (a dead host) is noticed after about two hours.
        if (keepAlive > 0 && !named.Any(k => k.Contains("keepalive", StringComparison.Ordinal)))
        {
            builder.TcpKeepAlive = true;
            builder.TcpKeepAliveTime = keepAlive;
            builder.TcpKeepAliveInterval = Math.Max(1, keepAlive / 3);
        }
        builder.Options = WithSessionSettings(builder.Options, options);
        return builder.ConnectionString;
    }

    /// <summary>
    /// Server-side settings go in the startup packet (<c>-c name=value</c>), which costs no round trip. The server's
    /// keepalives matter most: they are what ends a dead node's session, and with it its locks.
    /// </summary>
    private static string? WithSessionSettings(string? existing, DatabaseOptions options)
    {
        var keepAlive = Seconds(options.TcpKeepAlive);
        (string Name, long Value)[] settings =
        [
            ("lock_timeout", Milliseconds(options.LockTimeout)),
            ("statement_timeout", Milliseconds(options.StatementTimeout)),
            ("idle_in_transaction_session_timeout", Milliseconds(options.IdleInTransactionTimeout)),
            ("tcp_keepalives_idle", keepAlive),
            ("tcp_keepalives_interval", Math.Max(1, keepAlive / 3)),
            ("tcp_keepalives_count", 3),
        ];
        var added = settings
            .Where(s => s.Value > 0 && (existing is null || !existing.Contains(s.Name, StringComparison.OrdinalIgnoreCase)))
            .Where(s => keepAlive > 0 || !s.Name.StartsWith("tcp_", StringComparison.Ordinal))
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"-c {s.Name}={s.Value}"));
        var all = string.Join(' ', new[] { existing }.Concat(added).Where(o => !string.IsNullOrWhiteSpace(o)));
        return all.Length == 0 ? null : all;
    }

    private static int Seconds(TimeSpan value) => (int)Math.Max(0, value.TotalSeconds);

    private static long Milliseconds(TimeSpan value) => (long)Math.Max(0, value.TotalMilliseconds);
}
