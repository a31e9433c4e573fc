using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Mirage.Common;
using Mirage.Data;

namespace Mirage.Realtime;

/// <summary>
/// What feature services call to emit real-time events. Durable events are appended inside the service's own
/// write (<see cref="Append"/>): they exist, and are delivered, exactly when the change commits. Typing and
/// presence are never stored (<see cref="PublishEphemeralAsync"/>).
/// </summary>
public sealed class EventStream(IStreamBus bus, TimeProvider clock, IOptions<JsonOptions> json)
{
    private sealed class PendingEvents
    {
        public List<StreamStore.NewEvent> Events { get; } = [];
    }

    public string Serialize(object data) => JsonSerializer.Serialize(data, data.GetType(), json.Value.SerializerOptions);

    /// <summary>Queues an event for <paramref name="userIds"/>; it is recorded at the end of this write.</summary>
    public void Append(DbSession db, IEnumerable<long> userIds, string type, object data) =>
        Pending(db).Add(new StreamStore.NewEvent(null, [.. userIds.Distinct()], type, Serialize(data)));

    /// <summary>
    /// Queues an event for a room's members: it is recorded once, for the room, however many members it has, and
    /// who they are is looked up only where it is delivered (<see cref="StreamDeliverer"/>), not in this write.
    /// </summary>
    public void AppendToRoom(DbSession db, long roomId, string type, object data) =>
        Pending(db).Add(new StreamStore.NewEvent(roomId, [], type, Serialize(data)));

    private List<StreamStore.NewEvent> Pending(DbSession db) => db.State(() =>
    {
        var created = new PendingEvents();
        db.BeforeCommit(() => FlushAsync(db, created));
        return created;
    }).Events;

    /// <summary>
    /// Records the write's events and hands them to the bus. A user's own events are recorded only while their
    /// stream is active (nobody else could resume them); a room's are recorded once, for the room.
    /// </summary>
    private async Task FlushAsync(DbSession db, PendingEvents pending)
    {
        var now = clock.NowMs();
        var active = await StreamStore.ActiveAsync(db, pending.Events.Where(e => e.RoomId is null).SelectMany(e => e.Recipients), now);
        var recorded = pending.Events
            .Select(e => e.RoomId is null ? e with { Recipients = Array.FindAll(e.Recipients, active.Contains) } : e)
            .Where(e => e.RoomId is not null || e.Recipients.Length > 0)
            .ToList();
        pending.Events.Clear();
        if (recorded.Count == 0)
        {
            return;
        }
        var first = await StreamStore.AppendAsync(db, recorded, now);
        await bus.PublishAsync(db, [.. recorded.Select((e, i) => new StreamDelivery(new StreamEvent(first + i, e.Type, e.Data), e.Recipients, e.RoomId, now))]);
    }

    /// <summary>Sends an event that is never stored (typing, presence) to whoever of these users is connected.</summary>
    public Task PublishEphemeralAsync(IEnumerable<long> userIds, string type, object data) =>
        bus.PublishEphemeralAsync(userIds.Distinct().ToArray(), new StreamEvent(null, type, Serialize(data)));
}

/// <summary>Carries events to the nodes where their recipients are connected.</summary>
public interface IStreamBus
{
    /// <summary>Called inside the write that recorded the events (in position order); delivery happens once it commits.</summary>
    Task PublishAsync(DbSession db, IReadOnlyList<StreamDelivery> deliveries);

    Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent);
}

/// <summary>
/// One node (SQLite): hand events to this process's hub after the commit. Delivery runs on a queue of its own, in
/// commit order, so the single writer never waits while a room message is enqueued for thousands of streams.
/// </summary>
public sealed class InProcessStreamBus(StreamHub hub, StreamDeliverer deliverer, ILogger<InProcessStreamBus> logger) : BackgroundService, IStreamBus
{
    private readonly Channel<StreamDelivery> deliveries = Channel.CreateUnbounded<StreamDelivery>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public Task PublishAsync(DbSession db, IReadOnlyList<StreamDelivery> deliveries)
    {
        db.AfterCommit(() =>
        {
            foreach (var delivery in deliveries)
            {
                this.deliveries.Writer.TryWrite(delivery);
            }
        });
        return Task.CompletedTask;
    }

    public Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent)
    {
        hub.Deliver(userIds, streamEvent);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in deliveries.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await deliverer.DeliverAsync(delivery);
                }
                catch (Exception ex)
                {
                    // Every stream re-reads what it may have missed from the table.
                    logger.LogError(ex, "Delivering a stream event failed");
                    hub.RequestCatchUp();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
