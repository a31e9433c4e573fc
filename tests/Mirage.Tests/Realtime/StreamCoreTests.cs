using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Realtime;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

public sealed class StreamCoreTestsOnSqlite(KestrelSqliteServer server) : StreamCoreTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class StreamCoreTestsOnPostgres(KestrelPostgresServer server) : StreamCoreTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>
/// The stream itself, through real Kestrel: ids, ownership, resume without loss or repeats, resync, WebSocket.
/// Events are produced the way feature services produce them (EventStream.Append inside a write).
/// </summary>
public abstract class StreamCoreTests(MirageServer server)
{
    private MirageClient Api => server.Client;

    [Fact]
    public async Task Sse_delivers_a_users_events_in_order_and_to_nobody_else()
    {
        var alice = await Api.NewUserAsync();
        var bob = await Api.NewUserAsync();
        var aliceId = await Api.UserIdAsync(alice);
        await using var aliceStream = await SseClient.ConnectAsync(server.BaseAddress, alice.Token);
        await using var bobStream = await SseClient.ConnectAsync(server.BaseAddress, bob.Token, queryToken: false);
        var ready = await aliceStream.NextOfTypeAsync("ready");
        var start = ready.Data.GetProperty("last_event_id").GetInt64();
        await bobStream.NextOfTypeAsync("ready");

        var bobId = await Api.UserIdAsync(bob);
        for (var i = 1; i <= 3; i++)
        {
            await server.Factory.EmitAsync(aliceId, "test.event", new { n = i });
            await server.Factory.EmitAsync(bobId, "test.not_for_alice", new { n = i });
        }
        var ids = new List<long> { start };
        for (var i = 1; i <= 3; i++)
        {
            var received = await aliceStream.NextStoredAsync();
            ids.Add(received.Id!.Value);
            Assert.Equal(received.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), received.SseId);
            Assert.Equal("test.event", received.Type);
            Assert.Equal(i, received.Data.GetProperty("n").GetInt32());
        }
        StreamTestKit.AssertIncreasing(ids);

        // Bob's stream has only Bob's events.
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal("test.not_for_alice", (await bobStream.NextStoredAsync()).Type);
        }
        await server.Factory.EmitAsync(bobId, "test.marker", new { mine = true });
        Assert.Equal("test.marker", (await bobStream.NextStoredAsync()).Type);
    }

    [Fact]
    public async Task Reconnecting_with_the_last_event_id_loses_nothing_and_repeats_nothing()
    {
        var user = await Api.NewUserAsync();
        var userId = await Api.UserIdAsync(user);
        long lastSeen;
        await using (var first = await SseClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await first.NextOfTypeAsync("ready");
            await server.Factory.EmitAsync(userId, "test.event", new { n = 1 });
            lastSeen = (await first.NextStoredAsync()).Id!.Value;
        }
        for (var i = 2; i <= 4; i++)
        {
            await server.Factory.EmitAsync(userId, "test.event", new { n = i });
        }

        await using var second = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: lastSeen);
        var ids = new List<long> { lastSeen };
        for (var i = 2; i <= 4; i++)
        {
            var missed = await second.NextStoredAsync();
            ids.Add(missed.Id!.Value);
            Assert.Equal(i, missed.Data.GetProperty("n").GetInt32());
        }
        var ready = await second.NextOfTypeAsync("ready");
        // On PostgreSQL the stream stands at the horizon, which may be past the user's last event (StreamOrder).
        var standsAt = ready.Data.GetProperty("last_event_id").GetInt64();
        Assert.True(server.Provider == "sqlite" ? standsAt == ids[^1] : standsAt >= ids[^1], $"ready at {standsAt}, last event {ids[^1]}");
        await server.Factory.EmitAsync(userId, "test.event", new { n = 5 });
        var live = await second.NextStoredAsync();
        ids.Add(live.Id!.Value);
        Assert.Equal(5, live.Data.GetProperty("n").GetInt32());
        StreamTestKit.AssertIncreasing(ids);
    }

    [Fact]
    public async Task An_unknown_or_expired_last_event_id_gets_a_resync()
    {
        var user = await Api.NewUserAsync();
        var userId = await Api.UserIdAsync(user);
        await using (var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: 4_000_000_000_000_000))
        {
            var resync = await stream.NextAsync();
            Assert.Equal("resync", resync!.Type);
            Assert.Null(resync.Id);
            Assert.Equal("unknown event id", resync.Data.GetProperty("reason").GetString());
        }

        long last;
        await using (var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await stream.NextOfTypeAsync("ready");
            await server.Factory.EmitAsync(userId, "test.event", new { n = 1 });
            last = (await stream.NextStoredAsync()).Id!.Value;
        }
        // Gone for longer than the resume window: what happened meanwhile was not kept.
        server.Clock.Advance(TimeSpan.FromMinutes(12));
        await server.Factory.EmitAsync(userId, "test.event", new { n = 2 });
        await using (var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: last))
        {
            var resync = await stream.NextAsync();
            Assert.Equal("resync", resync!.Type);
            Assert.Equal("the stream was idle for longer than the resume window", resync.Data.GetProperty("reason").GetString());
            Assert.True(resync.Data.GetProperty("last_event_id").GetInt64() >= last);
        }
    }

    [Fact]
    public async Task WebSocket_delivers_events_answers_pings_rejects_garbage_and_resumes()
    {
        var user = await Api.NewUserAsync();
        var userId = await Api.UserIdAsync(user);
        long last;
        await using (var ws = await WsClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            var ready = await ws.NextOfTypeAsync("ready");
            await server.Factory.EmitAsync(userId, "test.event", new { n = 1 });
            var received = await ws.NextAsync();
            Assert.Equal("test.event", received!.Type);
            Assert.True(received.Id > ready.Data.GetProperty("last_event_id").GetInt64());
            last = received.Id!.Value;

            await ws.SendAsync("""{"type":"ping"}""");
            Assert.Equal("pong", (await ws.NextAsync())!.Type);
            await ws.SendAsync("this is not json");
            var error = await ws.NextAsync();
            Assert.Equal("error", error!.Type);
            await ws.SendAsync("""{"type":"no_such_command"}""");
            Assert.Equal("error", (await ws.NextAsync())!.Type);
        }
        await server.Factory.EmitAsync(userId, "test.event", new { n = 2 });
        await using (var ws = await WsClient.ConnectAsync(server.BaseAddress, user.Token, since: last))
        {
            var missed = await ws.NextAsync();
            Assert.True(missed!.Id > last);
            Assert.Equal(2, missed.Data.GetProperty("n").GetInt32());
        }
    }

    [Fact]
    public async Task Streams_need_a_valid_token_and_query_tokens_work_only_on_streams()
    {
        var user = await Api.NewUserAsync();
        await (await Api.GetAsync("/v1/stream")).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.GetAsync("/v1/stream?access_token=not-a-token")).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.GetAsync($"/v1/users/me?access_token={user.Token}")).ShouldBe(HttpStatusCode.Unauthorized);
        await (await Api.GetAsync("/v1/stream/ws", user.Token)).ShouldBe(HttpStatusCode.BadRequest);
        await (await Api.GetAsync("/v1/stream?since=abc", user.Token)).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Old_events_are_purged_after_the_window_and_resuming_from_before_them_gets_a_resync()
    {
        var user = await Api.NewUserAsync();
        var userId = await Api.UserIdAsync(user);
        // A second stream stays open the whole time, so the user's events keep being recorded.
        await using var keeper = await SseClient.ConnectAsync(server.BaseAddress, user.Token);
        await keeper.NextOfTypeAsync("ready");
        long last;
        await using (var stream = await SseClient.ConnectAsync(server.BaseAddress, user.Token))
        {
            await stream.NextOfTypeAsync("ready");
            await server.Factory.EmitAsync(userId, "test.event", new { n = 1 });
            last = (await stream.NextStoredAsync()).Id!.Value;
        }
        await server.Factory.EmitAsync(userId, "test.event", new { n = 2 });
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        await server.Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<StreamJanitor>().Single().RunOnceAsync(CancellationToken.None);
        var left = await server.Database.ReadAsync(db => db.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM stream_recipients WHERE user_id = @userId", new { userId }));
        Assert.Equal(0, left);

        await using var resumed = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: last);
        var resync = await resumed.NextAsync();
        Assert.Equal("resync", resync!.Type);
        Assert.Equal("the missed events are older than the resume window", resync.Data.GetProperty("reason").GetString());
    }
}
