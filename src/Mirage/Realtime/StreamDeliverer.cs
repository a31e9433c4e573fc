using Mirage.Data;

namespace Mirage.Realtime;

/// <summary>
/// Hands a committed event to the streams on this node. A room's members are looked up here, on a reader, not in the
/// write that recorded the event: the single writer would otherwise read a list that can run to thousands for every
/// room message (a hundred members took a third of a room send's writer time), and a node where nobody is connected
/// reads nothing at all.
/// </summary>
public sealed class StreamDeliverer(StreamHub hub, IDatabase database)
{
    public async Task DeliverAsync(StreamDelivery delivery)
    {
        if (delivery.RoomId is not { } roomId)
        {
            hub.Deliver(delivery.Recipients, delivery.Event);
        }
        else if (!hub.IsEmpty)
        {
            hub.Deliver(await database.ReadAsync(db => StreamStore.RoomMembersAsync(db, roomId, delivery.CreatedAt)), delivery.Event);
        }
    }
}
