using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mirage.Hosting;

/// <summary>The <c>Mirage:Connections</c> section: how many sockets the server keeps open, and for how long idle.</summary>
public sealed class ConnectionOptions
{
    public const string Section = "Mirage:Connections";

    /// <summary>Open connections in all (streams included); unset, the descriptor limit less a reserve.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>Open connections from one client address; unset, a quarter of <see cref="MaxConnections"/>.</summary>
    public int? MaxConnectionsPerAddress { get; set; }

    /// <summary>A connection that sends no (further) request is closed after this (Kestrel's default was 130 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A request must have sent its headers within this.</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// With the descriptor limit at 1024, 1,224 idle sockets from one address once exhausted the process's
/// descriptors and it aborted. Connections are now capped overall and per address, counted from accept to close
/// (WebSockets and SSE included) and refused by closing them at once, so descriptors stay in reserve for the
/// database, its WAL, uploads and the runtime; and idle connections are closed after seconds, not minutes.
/// </summary>
public static partial class ConnectionLimits
{
    /// <summary>Descriptors kept for everything that is not a client connection.</summary>
    private const int MinimumReserve = 128;

    public static void Configure(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        var options = context.Configuration.GetSection(ConnectionOptions.Section).Get<ConnectionOptions>() ?? new ConnectionOptions();
        kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        var total = options.MaxConnections ?? DefaultMaxConnections();
        var perAddress = options.MaxConnectionsPerAddress ?? Math.Max(16, total / 4);
        // A known reverse proxy carries many clients' connections: only the overall cap applies to it.
        var proxies = context.Configuration.GetSection("Mirage:ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var exempt = proxies.Select(p => IPAddress.TryParse(p, out var ip) ? ip : null).OfType<IPAddress>().ToHashSet();
        var counter = new Counter(total, perAddress, exempt);
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection => counter.RunAsync(connection, next)));
    }

    /// <summary>The soft descriptor limit less a fifth (at least 128) in reserve; 10,000 where it cannot be read.</summary>
    internal static int DefaultMaxConnections()
    {
        var limit = DescriptorLimit();
        return limit is { } soft ? (int)Math.Clamp(soft - Math.Max(MinimumReserve, soft / 5), 16, 1_000_000) : 10_000;
    }

    private static long? DescriptorLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class Counter(int total, int perAddress, HashSet<IPAddress> exempt)
    {
        private readonly ConcurrentDictionary<IPAddress, int> byAddress = new();
        private int open;

        public async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
        {
            var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
            if (address is not null && exempt.Contains(address))
            {
                address = null;
            }
            if (!TryEnter(address))
            {
                connection.Abort(new ConnectionAbortedException("connection limit reached"));
                return;
            }
            try
            {
                await next(connection);
            }
            finally
            {
                Leave(address);
            }
        }

        private bool TryEnter(IPAddress? address)
        {
            if (Interlocked.Increment(ref open) > total)
            {
                Interlocked.Decrement(ref open);
                return false;
            }
            if (address is not null && byAddress.AddOrUpdate(address, 1, (_, n) => n + 1) > perAddress)
            {
                Leave(address);
                return false;
            }
            return true;
        }

        private void Leave(IPAddress? address)
        {
            Interlocked.Decrement(ref open);
            if (address is null)
            {
                return;
            }
            if (byAddress.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0)
            {
                byAddress.TryRemove(new KeyValuePair<IPAddress, int>(address, 0));
            }
        }
    }
}
