using Mirage.Tests.Infrastructure;
using Mirage.Tests.Rooms;

namespace Mirage.Tests.Realtime;

/// <summary>
/// Two Mirage nodes on one PostgreSQL: an event written through node A reaches a client on node B, and the
/// resume window works whichever node the client comes back to.
/// </summary>
public sealed class MultiNodeTests(KestrelPostgresServer server) : IClassFixture<KestrelPostgresServer>
{
    [Fact]
    public async Task Events_cross_nodes_and_resume_works_on_either_node()
    {
        var nodeA = server.Factory;
        var nodeB = server.CreateFactory();
        var addressB = server.Start(nodeB);
        try
        {
            var api = server.Client;
            var user = await api.NewUserAsync();
            var userId = await api.UserIdAsync(user);

            long last;
            await using (var onB = await SseClient.ConnectAsync(addressB, user.Token))
            {
                await onB.NextOfTypeAsync("ready");
                await nodeA.EmitAsync(userId, "test.event", new { n = 1 });
                var first = await onB.NextStoredAsync();
                Assert.Equal(1, first.Data.GetProperty("n").GetInt32());

                // Larger than a NOTIFY payload: it travels by reference and is read from the table.
                var big = new string('y', 12_000);
                await nodeA.EmitAsync(userId, "test.event", new { n = 2, big });
                var second = await onB.NextStoredAsync();
                Assert.True(second.Id > first.Id);
                Assert.Equal(big, second.Data.GetProperty("big").GetString());
                last = second.Id!.Value;
            }

            await nodeB.EmitAsync(userId, "test.event", new { n = 3 });
            await nodeB.EmitAsync(userId, "test.event", new { n = 4 });
            await using var onA = await SseClient.ConnectAsync(server.BaseAddress, user.Token, lastEventId: last);
            var third = await onA.NextStoredAsync();
            var fourth = await onA.NextStoredAsync();
            Assert.Equal((3, 4), (third.Data.GetProperty("n").GetInt32(), fourth.Data.GetProperty("n").GetInt32()));
            StreamTestKit.AssertIncreasing([last, third.Id!.Value, fourth.Id!.Value]);
        }
        finally
        {
            await nodeB.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_room_message_reaches_the_members_connected_to_another_node()
    {
        var nodeB = server.CreateFactory();
        var addressB = server.Start(nodeB);
        try
        {
            var api = server.Client;
            var (owner, member, outsider) = (await api.NewUserAsync(), await api.NewUserAsync(), await api.NewUserAsync());
            var (roomId, name) = await api.NewRoomAsync(owner);
            await api.JoinAsync(member, name);
            await using var memberOnB = await SseClient.ConnectAsync(addressB, member.Token);
            await using var outsiderOnB = await SseClient.ConnectAsync(addressB, outsider.Token);
            await memberOnB.NextOfTypeAsync("ready");
            await outsiderOnB.NextOfTypeAsync("ready");

            await api.SendAsync(owner, roomId, "across nodes");

            var heard = await memberOnB.NextStoredAsync();
            Assert.Equal(("room.message", "across nodes"), (heard.Type, heard.Data.Str("content")));
            // The outsider's first event is the one meant for them: the room's message did not reach them.
            await server.Factory.EmitAsync(await api.UserIdAsync(outsider), "test.event", new { n = 1 });
            Assert.Equal("test.event", (await outsiderOnB.NextStoredAsync()).Type);
        }
        finally
        {
            await nodeB.DisposeAsync();
        }
    }
}
