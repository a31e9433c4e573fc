using System.Buffers.Text;
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
/// The <see cref="Body"/> is shared by every recipient of the same event, so its JSON is encoded once.
/// </summary>
public sealed record StreamEvent(long? Seq, StreamEventBody Body)
{
    public StreamEvent(long? seq, string type, string data) : this(seq, new StreamEventBody(type, data))
    {
    }

    public string Type => Body.Type;

    public string Data => Body.Data;

    private static ReadOnlySpan<byte> IdPrefix => "{\"id\":"u8;

    /// <summary>The event's JSON: this recipient's id, then the body's shared bytes.</summary>
    public byte[] ToJsonUtf8()
    {
        Span<byte> id = stackalloc byte[24];
        int idLength;
        if (Seq is { } seq)
        {
            Utf8Formatter.TryFormat(seq, id, out idLength);
        }
        else
        {
            "null"u8.CopyTo(id);
            idLength = 4;
        }
        var tail = Body.JsonTail;
        var json = new byte[IdPrefix.Length + idLength + tail.Length];
        IdPrefix.CopyTo(json);
        id[..idLength].CopyTo(json.AsSpan(IdPrefix.Length));
        tail.CopyTo(json.AsSpan(IdPrefix.Length + idLength));
        return json;
    }
}

/// <summary>An event's type and data (already JSON), with the UTF-8 of <c>,"type":…,"data":…}</c> made once.</summary>
public sealed class StreamEventBody(string type, string data)
{
    private byte[]? jsonTail;

    public string Type { get; } = type;

    public string Data { get; } = data;

    // Concurrent first calls may both encode; they produce the same bytes, so either may win.
    public ReadOnlySpan<byte> JsonTail => jsonTail ??= EncodeTail();

    private byte[] EncodeTail()
    {
        using var buffer = new MemoryStream(Data.Length + 48);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", Type);
            writer.WritePropertyName("data");
            writer.WriteRawValue(Data, skipInputValidation: true);
            writer.WriteEndObject();
        }
        var bytes = buffer.ToArray();
        bytes[0] = (byte)','; // {"type":…} becomes ,"type":…} to follow the id
        return bytes;
    }
}

/// <summary>A stored event and the users it went to, as the bus carries it between nodes.</summary>
public sealed record StreamDelivery(long PayloadId, IReadOnlyList<(long UserId, long Seq)> Recipients, StreamEventBody Body)
{
    public StreamDelivery(long payloadId, IReadOnlyList<(long UserId, long Seq)> recipients, string type, string data)
        : this(payloadId, recipients, new StreamEventBody(type, data))
    {
    }

    public string Type => Body.Type;

    public string Data => Body.Data;
}
