using System.Net.WebSockets;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

public sealed class WebSocketCommandTestsOnSqlite(KestrelSqliteServer server) : WebSocketCommandTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class WebSocketCommandTestsOnPostgres(KestrelPostgresServer server) : WebSocketCommandTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>Whatever a client sends over the WebSocket, a bad message gets an <c>error</c> event and the stream stays open.</summary>
public abstract class WebSocketCommandTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Theory]
    [InlineData("{\"type\":\"\\udfff\"}")]
    [InlineData("{\"type\":\"typing\",\"chat_id\":\"\\ud800\"}")]
    [InlineData("{\"type\":\"typing\",\"chat_id\":\"\\ud800\\u0041\"}")]
    [InlineData("{\"type\":\"ping\",\"\\udc00\":1}")]
    [InlineData("{\"type\":\"ping\",\"nested\":[{\"x\":\"\\ud83d\"}]}")]
    [InlineData("{\"type\":\"typing\",\"chat_id\":\"chat_\\u0000\"}")]
    [InlineData("{\"type\":\"typing\",\"chat_id\":\"chat_99999999999999999999999\"}")]
    [InlineData("{\"type\":\"typing\",\"chat_id\":1e400}")]
    public async Task A_broken_message_gets_an_error_event_and_the_stream_stays_open(string message)
    {
        var user = await Api.NewUserAsync();
        await using var ws = await WsClient.ConnectAsync(server.BaseAddress, user.Token);
        await ws.NextOfTypeAsync("ready");

        await ws.SendAsync(message);
        var error = await ws.NextOfTypeAsync("error");
        Assert.False(string.IsNullOrWhiteSpace(error.Data.Str("error")));

        await ws.SendAsync("{\"type\":\"ping\"}");
        await ws.NextOfTypeAsync("pong");
        Assert.Equal(WebSocketState.Open, ws.Socket.State);
    }
}
