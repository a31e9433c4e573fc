using System.Net.WebSockets;

namespace Mirage.Realtime;

/// <summary>
/// Server-Sent Events: each event is <c>id:</c> (when it has one) and <c>data:</c> with the JSON, with no
/// <c>event:</c> name, so a browser's <c>EventSource.onmessage</c> sees every type. Comments keep proxies awake.
/// </summary>
public sealed class SseTransport(HttpResponse response) : IStreamTransport
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>The JSON goes out as the bytes it was built as (it has no raw newlines, so it is one data line).</summary>
    public async Task SendAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        if (streamEvent.Id is { } id)
        {
            await response.WriteAsync($"id: {id}\n", cancellationToken);
        }
        await response.Body.WriteAsync(DataPrefix, cancellationToken);
        await response.Body.WriteAsync(streamEvent.ToJsonUtf8(), cancellationToken);
        await response.Body.WriteAsync(EventEnd, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        await response.WriteAsync(": heartbeat\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public Task CloseAsync(StreamEvent farewell, bool clientAtFault, CancellationToken cancellationToken) =>
        SendAsync(farewell, cancellationToken);
}

/// <summary>
/// WebSocket: one text frame per event; protocol pings (KeepAliveInterval) detect dead peers. Frames are sent
/// without a cancellation token: given one, the socket takes its slow path for every frame (an async state machine
/// and a registration with the token, frame after frame in fan-out). A send never hangs on a gone client: the socket
/// aborts, failing the send, when the peer disconnects or stops answering pings (KeepAliveTimeout).
/// </summary>
public sealed class WebSocketTransport(WebSocket socket) : IStreamTransport
{
    private readonly SemaphoreSlim sending = new(1, 1);

    public async Task SendAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        var bytes = streamEvent.ToJsonUtf8();
        await sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(new ReadOnlyMemory<byte>(bytes), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (WebSocketException ex)
        {
            // The socket aborted (the peer went away): the stream ends the way it does when the request is aborted.
            throw new OperationCanceledException("the WebSocket closed", ex);
        }
        finally
        {
            sending.Release();
        }
    }

    public Task HeartbeatAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task CloseAsync(StreamEvent farewell, bool clientAtFault, CancellationToken cancellationToken)
    {
        await SendAsync(farewell, cancellationToken);
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(
                clientAtFault ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.EndpointUnavailable,
                clientAtFault ? "slow consumer" : "reconnect", cancellationToken);
        }
    }
}
