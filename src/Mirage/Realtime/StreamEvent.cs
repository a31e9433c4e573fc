using System.Buffers;
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
/// One event as a client receives it: <c>{"id", "type", "data"}</c>. <see cref="Id"/> is the event's position in
/// the server's stream, the same for every recipient; events that are never stored (typing, presence, control)
/// have none. Every recipient gets the same bytes, so the JSON is encoded once.
/// </summary>
public sealed class StreamEvent(long? id, string type, string data)
{
    private byte[]? json;

    public long? Id { get; } = id;

    public string Type { get; } = type;

    public string Data { get; } = data;

    // Concurrent first calls may both encode; they produce the same bytes, so either may win.
    public byte[] ToJsonUtf8() => json ??= Encode();

    private byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(Data.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Id is { } id)
            {
                writer.WriteNumber("id", id);
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
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// A recorded event as the bus carries it to the nodes where its recipients are connected: the listed users, or for a
/// room's event (<paramref name="RoomId"/>) the members who had joined by <paramref name="CreatedAt"/>, looked up
/// where it is delivered (<see cref="StreamDeliverer"/>).
/// </summary>
public sealed record StreamDelivery(StreamEvent Event, IReadOnlyList<long> Recipients, long? RoomId = null, long CreatedAt = 0);
