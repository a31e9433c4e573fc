using System.Net;
using System.Net.Sockets;

namespace Mirage.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to a real server, which a test can cut (every open connection dropped, new ones closed at
/// once) and restore: a database going down and coming back, as the server's clients see it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> open = [];
    private readonly CancellationTokenSource stopping = new();
    private volatile bool down;

    public TcpProxy(string targetHost, int targetPort)
    {
        (this.targetHost, this.targetPort) = (targetHost, targetPort);
        listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Cut()
    {
        down = true;
        lock (open)
        {
            foreach (var client in open)
            {
                try
                {
                    client.Client?.LingerState = new LingerOption(true, 0); // a reset, as a crashed server gives
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }
                client.Dispose();
            }
            open.Clear();
        }
    }

    public void Restore() => down = false;

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (down)
            {
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(targetHost, targetPort, stopping.Token);
            lock (open)
            {
                open.Add(client);
                open.Add(server);
            }
            var a = client.GetStream().CopyToAsync(server.GetStream(), stopping.Token);
            var b = server.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (open)
            {
                open.Remove(client);
                open.Remove(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        Cut();
        stopping.Dispose();
    }
}
