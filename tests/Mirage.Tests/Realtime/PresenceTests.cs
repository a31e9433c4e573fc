using Mirage.Tests.Infrastructure;
using Mirage.Tests.Messaging;

namespace Mirage.Tests.Realtime;

public sealed class NoPresenceGraceServer : KestrelSqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Mirage:Realtime:PresenceGrace", "00:00:00")];
}

public sealed class PresenceTests(NoPresenceGraceServer server) : IClassFixture<NoPresenceGraceServer>
{
    [Fact]
    public async Task People_who_share_a_chat_hear_online_and_offline_and_nobody_else_does()
    {
        var api = server.Client;
        var (alice, bob, mallory) = (await api.NewUserAsync(), await api.NewUserAsync(), await api.NewUserAsync());
        await api.CreateChatIdAsync(alice, bob.Username);
        var aliceId = await api.IdOfAsync(alice);
        await using var bobStream = await SseClient.ConnectAsync(server.BaseAddress, bob.Token);
        await bobStream.NextOfTypeAsync("ready");
        await using var malloryStream = await SseClient.ConnectAsync(server.BaseAddress, mallory.Token);
        await malloryStream.NextOfTypeAsync("ready");

        await using (var aliceStream = await SseClient.ConnectAsync(server.BaseAddress, alice.Token))
        {
            await aliceStream.NextOfTypeAsync("ready");
            var online = await bobStream.NextOfTypeAsync("presence");
            Assert.Null(online.Id);
            Assert.Equal((aliceId, "online"), (online.Data.Str("user_id"), online.Data.Str("status")));
        }
        var offline = await bobStream.NextOfTypeAsync("presence");
        Assert.Equal((aliceId, "offline"), (offline.Data.Str("user_id"), offline.Data.Str("status")));

        await server.Factory.EmitAsync(await api.UserIdAsync(mallory), "test.marker", new { });
        Assert.Equal("test.marker", (await malloryStream.NextAsync())!.Type);
    }
}
