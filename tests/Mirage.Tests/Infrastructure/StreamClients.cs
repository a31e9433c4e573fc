using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Mirage.Tests.Infrastructure;

/// <summary>One received stream event: the SSE id line (if any) and the JSON body.</summary>
public sealed record ReceivedEvent(string? SseId, JsonElement Json)
{
    public long? Id => Json.GetProperty("id").ValueKind == JsonValueKind.Number ? Json.GetProperty("id").GetInt64() : null;
    public string Type => Json.GetProperty("type").GetString()!;
    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>An open stream, SSE or WebSocket, as the tests read it.</summary>
public interface IStreamClient : IAsyncDisposable
{
    /// <summary>The next event, or null when the server ended the stream.</summary>
    Task<ReceivedEvent?> NextAsync(TimeSpan? timeout = null);
}

public static class StreamClientExtensions
{
    /// <summary>Skips events until one of <paramref name="type"/> arrives.</summary>
    public static async Task<ReceivedEvent> NextOfTypeAsync(this IStreamClient client, string type, TimeSpan? timeout = null)
    {
        while (true)
        {
            var next = await client.NextAsync(timeout) ?? throw new InvalidOperationException($"stream ended before a '{type}' event");
            if (next.Type == type)
            {
                return next;
            }
        }
    }

    /// <summary>Skips control events (no id) and returns the next stored event.</summary>
    public static async Task<ReceivedEvent> NextStoredAsync(this IStreamClient client)
    {
        while (true)
        {
            var next = await client.NextAsync() ?? throw new InvalidOperationException("stream ended");
            if (next.Id is not null)
            {
                return next;
            }
        }
    }
}

/// <summary>A Server-Sent Events client over a real socket, as a browser's EventSource would be.</summary>
public sealed class SseClient : IStreamClient
{
    private readonly HttpClient http;
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseClient(HttpClient http, HttpResponseMessage response, StreamReader reader)
    {
        (this.http, this.response, this.reader) = (http, response, reader);
    }

    public static async Task<SseClient> ConnectAsync(Uri baseAddress, string token, long? lastEventId = null, bool queryToken = true)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var path = queryToken ? $"/v1/stream?access_token={Uri.EscapeDataString(token)}" : "/v1/stream";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!queryToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId.ToString());
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new SseClient(http, response, reader);
    }

    /// <summary>The next comment line (an SSE keep-alive), skipping anything else.</summary>
    public async Task<string> NextCommentAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the stream ended");
            if (line.StartsWith(':'))
            {
                return line;
            }
        }
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<ReceivedEvent?> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is null)
            {
                return null;
            }
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new ReceivedEvent(id, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                }
                continue;
            }
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        http.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>A WebSocket stream client.</summary>
public sealed class WsClient(ClientWebSocket socket) : IStreamClient
{
    public ClientWebSocket Socket => socket;

    public static async Task<WsClient> ConnectAsync(Uri baseAddress, string token, long? since = null)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/v1/stream/ws", Query = $"access_token={Uri.EscapeDataString(token)}" + (since is null ? "" : $"&since={since}") };
        await socket.ConnectAsync(uri.Uri, CancellationToken.None);
        return new WsClient(socket);
    }

    public Task SendAsync(string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task<ReceivedEvent?> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return new ReceivedEvent(null, JsonDocument.Parse(message.ToArray()).RootElement.Clone());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
        socket.Dispose();
    }
}
