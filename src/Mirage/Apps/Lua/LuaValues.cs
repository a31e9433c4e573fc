using System.Globalization;
using System.Text.Json;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps.Lua;

/// <summary>
/// Values between Lua and .NET. Lua tables become <see cref="Dictionary{TKey,TValue}"/> (string keys) or
/// <see cref="List{T}"/> (a sequence 1..n); JSON becomes Lua tables directly from its bytes. Reads are bounded in
/// depth and size, so a cyclic or huge table from a script is refused instead of hanging the host.
/// </summary>
internal static unsafe class LuaValues
{
    public const int MaxDepth = 32;
    public const int MaxItems = 200_000;

    public sealed class TooLargeException(string message) : Exception(message);

    /// <summary>The value at <paramref name="index"/> as .NET data (functions and userdata become null).</summary>
    public static object? Read(nint state, int index)
    {
        var budget = MaxItems;
        return Read(state, lua_absindex(state, index), 0, ref budget);
    }

    private static object? Read(nint state, int index, int depth, ref int budget)
    {
        switch (lua_type(state, index))
        {
            case TypeBoolean:
                return lua_toboolean(state, index) != 0;
            case TypeNumber:
                return lua_isinteger(state, index) != 0 ? (object)lua_tointegerx(state, index, null) : lua_tonumberx(state, index, null);
            case TypeString:
                return ToText(state, index);
            case TypeTable:
                if (depth >= MaxDepth)
                {
                    throw new TooLargeException("table nested too deeply (or cyclic)");
                }
                return ReadTable(state, index, depth, ref budget);
            default:
                return null;
        }

    }

    private static object ReadTable(nint state, int index, int depth, ref int budget)
    {
        _ = lua_checkstack(state, 4);
        var length = (long)lua_rawlen(state, index);
        var count = 0L;
        var dictionary = (Dictionary<string, object?>?)null;
        var list = length > 0 ? new List<object?>((int)Math.Min(length, 1024)) : null;
        lua_pushnil(state);
        while (lua_next(state, index) != 0)
        {
            if (--budget < 0)
            {
                Pop(state, 2);
                throw new TooLargeException("table too large");
            }
            count++;
            var keyType = lua_type(state, -2);
            if (keyType == TypeNumber && lua_isinteger(state, -2) != 0 && list is not null)
            {
                var key = lua_tointegerx(state, -2, null);
                if (key >= 1 && key <= length)
                {
                    while (list.Count < key)
                    {
                        list.Add(null);
                    }
                    list[(int)key - 1] = Read(state, lua_gettop(state), depth + 1, ref budget);
                    Pop(state, 1);
                    continue;
                }
            }
            if (keyType is TypeString or TypeNumber)
            {
                dictionary ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                dictionary[ToText(state, -2)!] = Read(state, lua_gettop(state), depth + 1, ref budget);
            }
            Pop(state, 1);
        }
        if (dictionary is null)
        {
            return (object?)list ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        if (list is not null)
        {
            for (var i = 0; i < list.Count; i++)
            {
                dictionary[(i + 1).ToString(CultureInfo.InvariantCulture)] = list[i];
            }
        }
        return dictionary;
    }

    /// <summary>Pushes .NET data: null, bool, numbers, strings, dictionaries, lists, <see cref="JsonElement"/>.</summary>
    public static void Push(nint state, object? value, int depth = 0)
    {
        _ = lua_checkstack(state, 4);
        switch (value)
        {
            case null:
                lua_pushnil(state);
                break;
            case bool b:
                lua_pushboolean(state, b ? 1 : 0);
                break;
            case int i:
                lua_pushinteger(state, i);
                break;
            case long l:
                lua_pushinteger(state, l);
                break;
            case double d:
                lua_pushnumber(state, d);
                break;
            case decimal m:
                lua_pushnumber(state, (double)m);
                break;
            case string s:
                PushString(state, s);
                break;
            case IReadOnlyDictionary<string, object?> map:
                lua_createtable(state, 0, map.Count);
                foreach (var (key, item) in map)
                {
                    Push(state, item, depth + 1);
                    SetField(state, -2, key);
                }
                break;
            case System.Collections.IList list:
                lua_createtable(state, list.Count, 0);
                for (var n = 0; n < list.Count; n++)
                {
                    Push(state, list[n], depth + 1);
                    lua_rawseti(state, -2, n + 1);
                }
                break;
            default:
                PushString(state, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    /// <summary>
    /// Pushes JSON as Lua tables in one pass over its bytes. Ids keep their number only (<c>"user_42"</c> → 42) in
    /// <c>id</c> and <c>*_id</c> members, as seed 002's scripts use them (<c>tonumber(ctx.params.userid)</c>).
    /// </summary>
    public static void PushJson(nint state, ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read())
        {
            lua_pushnil(state);
            return;
        }
        PushJsonValue(state, ref reader, isId: false);
    }

    private static void PushJsonValue(nint state, ref Utf8JsonReader reader, bool isId)
    {
        _ = lua_checkstack(state, 4);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                lua_createtable(state, 0, 8);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.ValueSpan;
                    var id = name.SequenceEqual("id"u8) || name.EndsWith("_id"u8);
                    PushUtf8(state, name);
                    reader.Read();
                    PushJsonValue(state, ref reader, id);
                    lua_rawset(state, -3);
                }
                break;
            case JsonTokenType.StartArray:
                lua_createtable(state, 8, 0);
                var n = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    PushJsonValue(state, ref reader, isId);
                    lua_rawseti(state, -2, ++n);
                }
                break;
            case JsonTokenType.String:
                if (isId && TryPrefixedId(reader.ValueSpan, out var number))
                {
                    lua_pushinteger(state, number);
                }
                else if (!reader.ValueIsEscaped)
                {
                    PushUtf8(state, reader.ValueSpan);
                }
                else
                {
                    PushString(state, reader.GetString()!);
                }
                break;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var integer))
                {
                    lua_pushinteger(state, integer);
                }
                else
                {
                    lua_pushnumber(state, reader.GetDouble());
                }
                break;
            case JsonTokenType.True:
                lua_pushboolean(state, 1);
                break;
            case JsonTokenType.False:
                lua_pushboolean(state, 0);
                break;
            default:
                lua_pushnil(state);
                break;
        }
    }

    private static bool TryPrefixedId(ReadOnlySpan<byte> value, out long number)
    {
        number = 0;
        var underscore = value.IndexOf((byte)'_');
        if (underscore <= 0 || underscore > 8)
        {
            return false;
        }
        foreach (var c in value[..underscore])
        {
            if (c is < (byte)'a' or > (byte)'z')
            {
                return false;
            }
        }
        return System.Buffers.Text.Utf8Parser.TryParse(value[(underscore + 1)..], out number, out var consumed)
            && consumed == value.Length - underscore - 1 && number > 0;
    }

    /// <summary>.NET data from <see cref="Read"/> as JSON text.</summary>
    public static string ToJson(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer, value);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes .NET data from <see cref="Read"/> as JSON.</summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item);
                }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
