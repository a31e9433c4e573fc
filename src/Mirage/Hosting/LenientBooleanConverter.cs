using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mirage.Hosting;

/// <summary>
/// Booleans as the original clients send them: true/false, 0/1, or those as strings ("1", "true").
/// </summary>
public sealed class LenientBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number when reader.TryGetInt64(out var n) && n is 0 or 1 => n == 1,
        JsonTokenType.String => reader.GetString()?.Trim().ToLowerInvariant() switch
        {
            "1" or "true" => true,
            "0" or "false" or "" => false,
            _ => throw new JsonException("not a boolean"),
        },
        _ => throw new JsonException("not a boolean"),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
