using System.Text.Json;
using System.Text.Json.Serialization;
using Mirage.Common;

namespace Mirage.Messaging;

/// <summary>
/// Reads an id that clients send either as a string (<c>"user_42"</c>, <c>"42"</c>, a username) or as a JSON
/// number (<c>42</c>, as seed 002's Lua and the original web client do), always as its text.
/// </summary>
public sealed class IdJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadId(ref reader);

    internal static string ReadId(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String when reader.GetString() is { } text && !StorableText.HasNul(text) => text,
        JsonTokenType.Number when reader.TryGetInt64(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new JsonException("not an id"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A JSON array of ids in either form (see <see cref="IdJsonConverter"/>).</summary>
public sealed class IdListJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override bool HandleNull => false;

    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("not an array");
        }
        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ids.Add(IdJsonConverter.ReadId(ref reader));
        }
        return ids;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
    }
}
