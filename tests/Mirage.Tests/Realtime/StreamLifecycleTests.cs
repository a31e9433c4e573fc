using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

public sealed class SmallQueueServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:Realtime:QueueCapacity", "8"), new("Mirage:Realtime:HeartbeatInterval", "00:00:00.2")];
}

/// <summary>Slow consumers and shutdown: streams end with a reason, and resuming picks up exactly where they stopped.</summary>
public sealed class StreamLifecycleTests(SmallQueueServer server) : IClassFixture<SmallQueueServer>
{
    [Fact]
    public async Task A_client_that_falls_behind_is_disconnected_with_a_reason_and_resumes_without_loss()
    {
        var api = server.Client;
        var user = await api.NewUserAsync();
        var userId = await api.UserIdAsync(user);
        const int total = 100;
        var received = new List<(long Id, int N)>();
        await using (var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await stream.NextOfTypeAsync("ready");
            // A burst far larger than the connection's queue (8 here).
            await server.Factory.EmitBurstAsync(userId, "test.burst", Enumerable.Range(0, total).Select(i => (object)new { n = i }));
            ReceivedEvent? farewell = null;
            while (await stream.NextAsync() is { } next)
            {
                if (next.Id is { } id)
                {
                    received.Add((id, next.Data.GetProperty("n").GetInt32()));
                }
                else if (next.Type == "reconnect")
                {
                    farewell = next;
                }
            }
            Assert.NotNull(farewell);
            Assert.StartsWith("slow consumer", farewell.Data.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.True(received.Count < total, $"received {received.Count} of {total} before the disconnect");
        }

        await using (var resumed = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: received[^1].Id))
        {
            while (received.Count < total)
            {
                var next = await resumed.NextStoredAsync();
                received.Add((next.Id!.Value, next.Data.GetProperty("n").GetInt32()));
            }
        }
        Assert.Equal(Enumerable.Range(0, total), received.Select(e => e.N));
        StreamTestKit.AssertIncreasing(received.Select(e => e.Id));
    }

    [Fact]
    public async Task An_idle_sse_stream_gets_keep_alive_comments_and_still_delivers_events()
    {
        var api = server.Client;
        var user = await api.NewUserAsync();
        var userId = await api.UserIdAsync(user);
        await using var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token);
        await stream.NextOfTypeAsync("ready");

        Assert.Equal(": heartbeat", await stream.NextCommentAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(": heartbeat", await stream.NextCommentAsync(TimeSpan.FromSeconds(5)));
        await server.Factory.EmitAsync(userId, "test.after_heartbeat", new { ok = true });
        Assert.Equal("test.after_heartbeat", (await stream.NextStoredAsync()).Type);
    }

    [Fact]
    public async Task Shutdown_closes_streams_with_a_reconnect_hint()
    {
        var node = server.CreateFactory();
        var address = server.Start(node);
        var api = new MirageClient(new HttpClient { BaseAddress = address });
        var user = await api.NewUserAsync();
        await using var stream = await SseClient.ConnectAsync(address, user.Token);
        await stream.NextOfTypeAsync("ready");

        var stopping = node.DisposeAsync();
        var farewell = await stream.NextOfTypeAsync("reconnect");
        Assert.Contains("shutting down", farewell.Data.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await stopping;
    }
}
