using System.Diagnostics;
using System.Net;
using Mirage.Realtime;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

public sealed class SessionEndTestsOnSqlite(KestrelSqliteServer server) : SessionEndTests(server), IClassFixture<KestrelSqliteServer>;

public sealed class SessionEndTestsOnPostgres(KestrelPostgresServer server) : SessionEndTests(server), IClassFixture<KestrelPostgresServer>;

/// <summary>A stream lives no longer than its session: logout or a password change closes it within a second, on every node.</summary>
public abstract class SessionEndTests(MirageServer server)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(1.5);

    protected MirageClient Api => server.Client;

    /// <summary>Reads until the server ends the stream; returns how long that took and the farewell's reason.</summary>
    public static async Task<(TimeSpan Took, string? Reason)> EndOfAsync(IStreamClient stream)
    {
        var clock = Stopwatch.StartNew();
        string? reason = null;
        while (await stream.NextAsync(TimeSpan.FromSeconds(5)) is { } next)
        {
            if (next.Type == "reconnect")
            {
                reason = next.Data.Str("reason");
            }
        }
        return (clock.Elapsed, reason);
    }

    [Fact]
    public async Task Logout_and_a_password_change_close_the_streams_of_the_sessions_they_end()
    {
        var user = await Api.NewUserAsync();
        var second = await Api.LoginAsync(user.Username, user.Password);
        var third = await Api.LoginAsync(user.Username, user.Password);
        var friend = await Api.NewUserAsync();
        await using var sse = await SseClient.ConnectAsync(server.BaseAddress, user.Token);
        await using var ws = await WsClient.ConnectAsync(server.BaseAddress, user.Token);
        await using var other = await SseClient.ConnectAsync(server.BaseAddress, second);
        foreach (var stream in new IStreamClient[] { sse, ws, other })
        {
            await stream.NextOfTypeAsync("ready");
        }

        await (await Api.PostAsync("/api/logout", new { token = user.Token })).ShouldBe(HttpStatusCode.OK);
        foreach (var stream in new IStreamClient[] { sse, ws })
        {
            var (took, reason) = await EndOfAsync(stream);
            Assert.True(took < Soon, $"the stream stayed open {took} after logout");
            Assert.Equal(StreamSessionWatcher.Reason, reason);
        }

        // The other session's stream is untouched, until a password change (from a third session) ends that session.
        await (await Api.PostAsync("/api/send_inbox_message", new { recipient = user.Username, message = "still here?" }, friend.Token)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("message.created", (await other.NextOfTypeAsync("message.created")).Type);
        await (await Api.PostAsync("/api/user/settings", new { password = "a brand new secret" }, third)).ShouldBe(HttpStatusCode.OK);
        var (otherTook, _) = await EndOfAsync(other);
        Assert.True(otherTook < Soon, $"the stream stayed open {otherTook} after the password change");
        await (await Api.GetAsync("/v1/users/me", third, bearer: true)).ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>Two nodes on one PostgreSQL: a logout through node A closes the session's stream on node B.</summary>
public sealed class SessionEndMultiNodeTests(KestrelPostgresServer server) : IClassFixture<KestrelPostgresServer>
{
    [Fact]
    public async Task Logout_on_one_node_closes_the_stream_on_another()
    {
        var nodeB = server.CreateFactory();
        var addressB = server.Start(nodeB);
        try
        {
            var user = await server.Client.NewUserAsync();
            await using var onB = await WsClient.ConnectAsync(addressB, user.Token);
            await onB.NextOfTypeAsync("ready");
            await (await server.Client.PostAsync("/api/logout", new { token = user.Token })).ShouldBe(HttpStatusCode.OK);
            var (took, reason) = await SessionEndTests.EndOfAsync(onB);
            Assert.True(took < TimeSpan.FromSeconds(1.5), $"the stream on node B stayed open {took}");
            Assert.Equal(StreamSessionWatcher.Reason, reason);
        }
        finally
        {
            await nodeB.DisposeAsync();
        }
    }
}
