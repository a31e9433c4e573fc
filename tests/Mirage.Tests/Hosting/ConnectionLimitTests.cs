using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Hosting;

public sealed class FewConnectionsServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:Connections:MaxConnections", "5"), new("Mirage:Connections:MaxConnectionsPerAddress", "3")];
}

public sealed class ShortIdleServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Mirage:Connections:KeepAliveTimeout", "00:00:02")];
}

/// <summary>Raw sockets against real Kestrel, as an attacker holding connections open would use them.</summary>
internal static class RawConnections
{
    public static async Task<TcpClient> OpenAsync(Uri server, string from = "127.0.0.1")
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(from), 0));
        await client.ConnectAsync(server.Host, server.Port);
        return client;
    }

    /// <summary>Whether a new connection is served; a refused one is closed, sometimes before the connect returns.</summary>
    public static async Task<bool> NewConnectionServedAsync(Uri server, string from = "127.0.0.1")
    {
        try
        {
            using var client = await OpenAsync(server, from);
            return await ServesAsync(client);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>True when the connection answers a ping; false when the server closed it instead.</summary>
    public static async Task<bool> ServesAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            await stream.WriteAsync("GET /api/ping HTTP/1.1\r\nHost: mirage\r\n\r\n"u8.ToArray());
            var buffer = new byte[512];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var answer = new StringBuilder();
            // Read the whole answer (headers, body and the chunked terminator may come in separate segments), so the
            // next ping on this connection starts clean.
            while (!answer.ToString().Contains("pong", StringComparison.Ordinal)
                || (answer.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase) && !answer.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal)))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return answer.ToString().StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return false; // closed or reset by the server
        }
    }
}

/// <summary>Connections are capped per address and overall, so idle sockets cannot use up the server's descriptors.</summary>
public sealed class ConnectionCapTests(FewConnectionsServer server) : IClassFixture<FewConnectionsServer>
{
    [Fact]
    public async Task Connections_beyond_the_caps_are_closed_and_the_held_ones_keep_working()
    {
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                held.Add(await RawConnections.OpenAsync(server.BaseAddress));
                Assert.True(await RawConnections.ServesAsync(held[^1]), $"connection {i + 1} of 3 from one address");
            }
            Assert.False(await RawConnections.NewConnectionServedAsync(server.BaseAddress), "a fourth connection from one address was served");
            for (var i = 0; i < 2; i++)
            {
                held.Add(await RawConnections.OpenAsync(server.BaseAddress, from: "127.0.0.2"));
                Assert.True(await RawConnections.ServesAsync(held[^1]), $"connection {i + 1} from another address");
            }
            Assert.False(await RawConnections.NewConnectionServedAsync(server.BaseAddress, from: "127.0.0.3"), "a sixth connection overall was served");
            Assert.True(await RawConnections.ServesAsync(held[0]), "a held connection stopped working");

            held[0].Dispose();
            held.RemoveAt(0);
            var deadline = Stopwatch.StartNew();
            bool served;
            do
            {
                served = await RawConnections.NewConnectionServedAsync(server.BaseAddress);
            }
            while (!served && deadline.Elapsed < TimeSpan.FromSeconds(5));
            Assert.True(served, "a freed place was not given to a new connection");
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }
}

/// <summary>A connection that sends nothing is closed after seconds (Mirage:Connections:KeepAliveTimeout), not after 132 s.</summary>
public sealed class IdleConnectionTests(ShortIdleServer server) : IClassFixture<ShortIdleServer>
{
    [Fact]
    public async Task A_silent_connection_is_closed_soon()
    {
        using var silent = await RawConnections.OpenAsync(server.BaseAddress);
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        try
        {
            read = await silent.GetStream().ReadAsync(new byte[16], timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            read = 0;
        }
        Assert.Equal(0, read);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"closed after {clock.Elapsed}");
    }
}
