using Microsoft.Extensions.Options;
using Mirage.Hosting;

namespace Mirage.Realtime;

/// <summary>
/// Every <c>Mirage:Realtime:HeartbeatInterval</c> asks each open stream to send its keep-alive, so proxies and
/// clients see an idle SSE stream is alive. It runs on real time: keep-alives are about the network, not the
/// application clock tests move.
/// </summary>
public sealed class StreamHeartbeat(StreamHub hub, IOptions<MirageOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Realtime.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                hub.RequestHeartbeat();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
