using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Mirage.Accounts;
using Mirage.Common;
using Mirage.Hosting;

namespace Mirage.Realtime;

/// <summary>
/// <c>GET /v1/stream</c> (Server-Sent Events) and <c>GET /v1/stream/ws</c> (WebSocket). Both authenticate with
/// the Authorization header or <c>?access_token=</c>, and resume from <c>Last-Event-ID</c> / <c>?since=</c>.
/// </summary>
public static class StreamEndpoints
{
    private const int MaxClientMessageBytes = 4096;

    public static RouteGroupBuilder MapStreamV1(this RouteGroupBuilder v1)
    {
        var stream = v1.MapGroup("/stream").RequireAuthorization();
        stream.MapGet("/", ServerSentEvents);
        stream.MapGet("/ws", WebSocketStream);
        return v1;
    }

    private static async Task ServerSentEvents(HttpContext http, CurrentUser user, StreamSession session)
    {
        var since = ParseSince(http.Request.Headers["Last-Event-ID"].ToString(), http.Request.Query["since"].ToString(),
            http.Request.Query["last_event_id"].ToString());
        var connection = session.Open(user);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var transport = new SseTransport(http.Response);
        try
        {
            await transport.StartAsync(http.RequestAborted);
        }
        catch
        {
            connection.Close("client went away");
            throw;
        }
        await session.RunAsync(connection, since, transport, http.RequestAborted);
    }

    private static async Task WebSocketStream(HttpContext http, CurrentUser user, StreamSession session,
        StreamCommands commands, IOptions<MirageOptions> options)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw MirageException.BadRequest("expected a WebSocket upgrade request");
        }
        var since = ParseSince(http.Request.Query["since"].ToString(), http.Request.Query["last_event_id"].ToString());
        var connection = session.Open(user);
        WebSocket socket;
        try
        {
            var heartbeat = options.Value.Realtime.HeartbeatInterval;
            socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = heartbeat,
                KeepAliveTimeout = heartbeat * 3,
            });
        }
        catch
        {
            connection.Close("upgrade failed");
            throw;
        }
        using (socket)
        {
            using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            var transport = new WebSocketTransport(socket);
            var receiving = ReceiveAsync(socket, user, commands, transport, closed);
            await session.RunAsync(connection, since, transport, closed.Token);
            // Let the client answer our close frame: cancelling the read aborts the socket, and a reset can make the
            // client drop the farewell and the close frame it had not read yet.
            await Task.WhenAny(receiving, Task.Delay(CloseHandshakeWait));
            await closed.CancelAsync();
            await receiving;
        }
    }

    private static readonly TimeSpan CloseHandshakeWait = TimeSpan.FromSeconds(2);

    /// <summary>Reads client messages (typing, ping) until the client closes; closing ends the stream.</summary>
    private static async Task ReceiveAsync(WebSocket socket, CurrentUser user, StreamCommands commands,
        WebSocketTransport transport, CancellationTokenSource closed)
    {
        var buffer = new byte[MaxClientMessageBytes];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (!result.EndOfMessage)
                {
                    await transport.SendAsync(StreamCommands.Error("message too large"), closed.Token);
                    await DrainAsync(socket, buffer, closed.Token);
                    continue;
                }
                var reply = await commands.HandleAsync(user, buffer.AsMemory(0, result.Count));
                if (reply is not null)
                {
                    await transport.SendAsync(reply, closed.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            await closed.CancelAsync();
        }
    }

    private static async Task DrainAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
        }
        while (!result.EndOfMessage);
    }

    private static long? ParseSince(params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }
            if (!long.TryParse(candidate.Trim(), out var since) || since < 0)
            {
                throw MirageException.BadRequest("the last event id must be a non-negative number");
            }
            return since;
        }
        return null;
    }
}
