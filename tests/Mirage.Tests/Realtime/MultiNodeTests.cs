using Mirage.Tests.Infrastructure;

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
}
