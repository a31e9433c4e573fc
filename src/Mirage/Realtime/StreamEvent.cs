using System.Text.Json;

namespace Mirage.Realtime;

/// <summary>Event types on /v1/stream (DESIGN.md "Real-time").</summary>
public static class StreamEventTypes
{
    public const string MessageCreated = "message.created";
    public const string MessageUpdated = "message.updated";
    public const string MessageDeleted = "message.deleted";
    public const string ChatUpdated = "chat.updated";
    public const string RoomMessage = "room.message";
    public const string NotificationCreated = "notification.created";
    public const string Typing = "typing";
    public const string Presence = "presence";

    // Control events: no id, never stored.
    public const string Ready = "ready";
    public const string Resync = "resync";
    public const string Reconnect = "reconnect";
}

/// <summary>
/// One event as a client receives it: <c>{"id", "type", "data"}</c>. <see cref="Seq"/> is the user's own
/// increasing sequence number; events that are never stored (typing, presence, control) have none.
/// <see cref="Data"/> is the JSON of the data object, serialised once for every recipient.
/// </summary>
public sealed record StreamEvent(long? Seq, string Type, string Data)
{
    public byte[] ToJsonUtf8()
    {
        using var buffer = new MemoryStream(Data.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Seq is { } seq)
            {
                writer.WriteNumber("id", seq);
            }
            else
            {
                writer.WriteNull("id");
            }
            writer.WriteString("type", Type);
            writer.WritePropertyName("data");
            writer.WriteRawValue(Data, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}

/// <summary>A stored event and the users it went to, as the bus carries it between nodes.</summary>
public sealed record StreamDelivery(long PayloadId, IReadOnlyList<(long UserId, long Seq)> Recipients, string Type, string Data);
