using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Hosting;

/// <summary>
/// Refuses a NUL character in any JSON string a client sends: PostgreSQL text cannot hold it (the write would
/// fail with a 500) while SQLite would store it, so it is a 400 on both. (Unpaired surrogates are already
/// refused by the JSON reader.)
/// </summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("not a string");
        }
        var value = reader.GetString()!;
        return value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException("NUL character") : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
