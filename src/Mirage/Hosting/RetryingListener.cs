using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Mirage.Hosting;

/// <summary>Binds Kestrel's socket listeners through <see cref="RetryingListener"/>.</summary>
public sealed class RetryingListenerFactory(IConnectionListenerFactory inner, ILogger<RetryingListenerFactory> logger) : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new RetryingListener(await inner.BindAsync(endpoint, cancellationToken), logger);
}

/// <summary>
/// Kestrel stops accepting for good when an accept throws (out of descriptors, out of buffers): the process lives
/// on and serves nobody until restarted. A failed accept is logged and tried again after a pause that grows to a
/// second, so the server comes back by itself as soon as descriptors are free again.
/// </summary>
public sealed partial class RetryingListener(IConnectionListener inner, ILogger logger) : IConnectionListener
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    public EndPoint EndPoint => inner.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return await inner.AcceptAsync(cancellationToken);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is not SocketError.OperationAborted)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return null; // unbinding
                }
                LogAcceptFailed(ex.SocketErrorCode, pause.TotalMilliseconds);
            }
            try
            {
                await Task.Delay(pause, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null; // unbinding
            }
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Error, Message = "Accepting a connection failed ({Error}); trying again in {PauseMs:0} ms")]
    private partial void LogAcceptFailed(SocketError error, double pauseMs);
}
