using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mirage.Data;
using Mirage.Realtime;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.Realtime;

/// <summary>
/// Event ordering takes no cluster-wide lock: a node frozen in the middle of a transaction that recorded an event
/// stalls nobody's writes, and its event, once it commits, still reaches live and resuming clients in order.
/// </summary>
public sealed class LateCommitTests(KestrelPostgresServer server) : IClassFixture<KestrelPostgresServer>
{
    [Fact]
    public async Task An_open_transaction_stalls_no_send_on_another_node_and_its_late_event_is_never_skipped()
    {
        var nodeB = server.CreateFactory();
        var addressB = server.Start(nodeB);
        try
        {
            var api = server.Client;
            using var httpB = new HttpClient { BaseAddress = addressB };
            var apiB = new MirageClient(httpB);
            var (alice, bob) = (await api.NewUserAsync(), await api.NewUserAsync());
            var bobId = await api.UserIdAsync(bob);
            await using var live = await SseClient.ConnectAsync(addressB, bob.Token);
            var before = (await live.NextOfTypeAsync("ready")).Data.GetProperty("last_event_id").GetInt64();

            // Node A records an event for bob and stops short of committing, as a frozen node would.
            await using var connection = await ((PostgresDatabase)server.Database).DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var frozen = new DbSession(connection, transaction, SqlDialect.Postgres);
            server.Factory.Services.GetRequiredService<EventStream>().Append(frozen, [bobId], "test.late", new { n = 1 });
            await frozen.RunBeforeCommitAsync();

            var watch = Stopwatch.StartNew();
            var send = await apiB.PostAsync("/api/send_inbox_message", new { recipient = bob.Username, message = "meanwhile" }, alice.Token)
                .WaitAsync(TimeSpan.FromSeconds(5));
            await send.ShouldBe(HttpStatusCode.OK);
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));

            await transaction.CommitAsync();
            var heard = await UntilMessageAsync(live);
            Assert.Equal("test.late", heard[0].Type);
            Assert.Single(heard, e => e.Type == "test.late");
            StreamTestKit.AssertIncreasing(heard.Select(e => e.Id!.Value));

            // A client that went away before the late commit gets exactly the same events on resuming, on either node.
            foreach (var address in new[] { server.BaseAddress, addressB })
            {
                await using var resumed = await SseClient.ConnectAsync(address, bob.Token, lastEventId: before);
                var replayed = new List<ReceivedEvent>();
                for (var next = await resumed.NextAsync(); next!.Type != "ready"; next = await resumed.NextAsync())
                {
                    replayed.Add(next);
                }
                Assert.Equal(heard.Select(e => (e.Id, e.Type)), replayed.Select(e => (e.Id, e.Type)));
            }
        }
        finally
        {
            await nodeB.DisposeAsync();
        }
    }

    /// <summary>Stored events up to and including the DM's message.created.</summary>
    private static async Task<List<ReceivedEvent>> UntilMessageAsync(IStreamClient stream)
    {
        var heard = new List<ReceivedEvent>();
        while (heard.Count == 0 || heard[^1].Type != "message.created")
        {
            heard.Add(await stream.NextStoredAsync());
        }
        return heard;
    }
}
