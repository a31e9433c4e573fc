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
        public List<(long[] UserIds, string Type, string Data)> Events { get; } = [];
    }

    public string Serialize(object data) => JsonSerializer.Serialize(data, data.GetType(), json.Value.SerializerOptions);

    /// <summary>Queues an event for <paramref name="userIds"/>; it is recorded at the end of this write.</summary>
    public void Append(DbSession db, IEnumerable<long> userIds, string type, object data)
    {
        var pending = db.State(() =>
        {
            var created = new PendingEvents();
            db.BeforeCommit(() => FlushAsync(db, created));
            return created;
        });
        pending.Events.Add((userIds.Distinct().ToArray(), type, Serialize(data)));
    }

    private async Task FlushAsync(DbSession db, PendingEvents pending)
    {
        var now = clock.NowMs();
        var active = await StreamStore.LockActiveAsync(db, pending.Events.SelectMany(e => e.UserIds), now);
        foreach (var (userIds, type, data) in pending.Events)
        {
            var recipients = userIds.Where(active.Contains).ToArray();
            var (payloadId, entries) = await StreamStore.AppendAsync(db, recipients, type, data, now);
            if (entries.Count > 0)
            {
                await bus.PublishAsync(db, new StreamDelivery(payloadId, entries, type, data));
            }
        }
        pending.Events.Clear();
    }

    /// <summary>Sends an event that is never stored (typing, presence) to whoever of these users is connected.</summary>
    public Task PublishEphemeralAsync(IEnumerable<long> userIds, string type, object data) =>
        bus.PublishEphemeralAsync(userIds.Distinct().ToArray(), new StreamEvent(null, type, Serialize(data)));
}

/// <summary>Carries events to the nodes where their recipients are connected.</summary>
public interface IStreamBus
{
    /// <summary>Called inside the write that recorded the event; delivery happens once it commits.</summary>
    Task PublishAsync(DbSession db, StreamDelivery delivery);

    Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent);
}

/// <summary>
/// One node (SQLite): hand events to this process's hub after the commit. Delivery runs on a queue of its own, in
/// commit order, so the single writer never waits while a room message is enqueued for thousands of streams.
/// </summary>
public sealed class InProcessStreamBus(StreamHub hub, ILogger<InProcessStreamBus> logger) : BackgroundService, IStreamBus
{
    private readonly Channel<StreamDelivery> deliveries = Channel.CreateUnbounded<StreamDelivery>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public Task PublishAsync(DbSession db, StreamDelivery delivery)
    {
        db.AfterCommit(() => deliveries.Writer.TryWrite(delivery));
        return Task.CompletedTask;
    }

    public Task PublishEphemeralAsync(IReadOnlyCollection<long> userIds, StreamEvent streamEvent)
    {
        hub.DeliverEphemeral(userIds, streamEvent);
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
                    hub.Deliver(delivery);
                }
                catch (Exception ex)
                {
                    // Streams that missed it find the event in the table at their next gap.
                    logger.LogError(ex, "Delivering a stream event failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
