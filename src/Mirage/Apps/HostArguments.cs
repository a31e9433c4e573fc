using System.Globalization;
using Mirage.Apps.Lua;
using Mirage.Common;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps;

/// <summary>The arguments of one yielded host call, read off the coroutine's stack as .NET values.</summary>
public sealed class HostArguments
{
    private readonly object?[] values;

    private HostArguments(string op, object?[] values)
    {
        Op = op;
        this.values = values;
    }

    public string Op { get; }

    public int Count => values.Length;

    internal static HostArguments Read(nint thread, string op, int first, int count)
    {
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = LuaValues.Read(thread, first + i);
        }
        return new HostArguments(op, values);
    }

    public object? this[int index] => index < values.Length ? values[index] : null;

    /// <summary>A string argument (numbers are accepted as their text); null when absent.</summary>
    public string? Text(int index) => AsText(this[index], out var text) ? text : throw Bad(index, "a string");

    /// <summary>A script's scalar as text (numbers as Lua prints them); false for a table.</summary>
    private static bool AsText(object? value, out string? text)
    {
        text = value switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ => null,
        };
        return text is not null || value is null;
    }

    public string RequiredText(int index) => Text(index) ?? throw Bad(index, "a string");

    public long? Integer(int index) => this[index] switch
    {
        null => null,
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => (long)d,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw Bad(index, "a number"),
    };

    public int? SmallInteger(int index) => Integer(index) is { } value ? (int)Math.Clamp(value, int.MinValue, int.MaxValue) : null;

    /// <summary>An id as a user may write it: 42, "42" or "user_42".</summary>
    public long Id(int index, string prefix)
    {
        var text = Text(index);
        return PublicId.TryParse(text, prefix, out var id) ? id : throw MirageException.BadRequest($"invalid {prefix} id");
    }

    public bool? Boolean(int index) => this[index] switch
    {
        null => null,
        bool b => b,
        long l => l != 0,
        string s => s is "1" or "true" or "on" or "yes",
        _ => throw Bad(index, "a boolean"),
    };

    /// <summary>An options or fields table; an absent one is empty.</summary>
    public IReadOnlyDictionary<string, object?> Table(int index) => this[index] switch
    {
        null => new Dictionary<string, object?>(),
        Dictionary<string, object?> map => map,
        List<object?> { Count: 0 } => new Dictionary<string, object?>(),
        _ => throw Bad(index, "a table"),
    };

    public List<object?> List(int index) => this[index] switch
    {
        null => [],
        List<object?> list => list,
        Dictionary<string, object?> { Count: 0 } => [],
        _ => throw Bad(index, "a list"),
    };

    public static string? Field(IReadOnlyDictionary<string, object?> table, string name) =>
        AsText(table.GetValueOrDefault(name), out var text) ? text : throw MirageException.BadRequest($"{name} must be a string");

    public static int? IntField(IReadOnlyDictionary<string, object?> table, string name) => table.GetValueOrDefault(name) switch
    {
        null => null,
        long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
        double d => (int)Math.Clamp(d, int.MinValue, int.MaxValue),
        string s when int.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw MirageException.BadRequest($"{name} must be a number"),
    };

    private MirageException Bad(int index, string expected) =>
        MirageException.BadRequest($"bad argument #{index + 1} to '{Op}' ({expected} expected)");
}
