using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Mirage.Data;

/// <summary>
/// Reads a statement's parameter values off a parameter object (an anonymous object, as passed to Dapper), by
/// name: the same name as the property (exact case first, then ignoring case). Getters are compiled once per type.
/// </summary>
internal static class ParameterGetters
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Func<object, object?>>> ByType = new();

    /// <summary>One getter per parameter name, in order; throws when the object has no value for one.</summary>
    public static Func<object, object?>[] For(Type type, IReadOnlyList<string> names, string sql)
    {
        var properties = ByType.GetOrAdd(type, Compile);
        var getters = new Func<object, object?>[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            getters[i] = properties.TryGetValue(names[i], out var getter)
                ? getter
                : properties.FirstOrDefault(p => string.Equals(p.Key, names[i], StringComparison.OrdinalIgnoreCase)).Value
                  ?? throw new InvalidOperationException($"No value for @{names[i]} on {type.Name}: {sql}");
        }
        return getters;
    }

    private static readonly ConcurrentDictionary<Type, bool> Bindable = new();

    /// <summary>
    /// True when every property of <paramref name="type"/> is a single value SQLite can take (a number, text, a blob,
    /// or <c>object</c>, checked when bound). A list, for Dapper's <c>IN @ids</c> expansion, makes it false.
    /// </summary>
    public static bool CanBind(Type type) => Bindable.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).All(p => IsSingleValue(p.PropertyType)));

    private static bool IsSingleValue(Type type)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        return value.IsPrimitive || value.IsEnum || value == typeof(string) || value == typeof(decimal)
            || value == typeof(byte[]) || value == typeof(object);
    }

    private static Dictionary<string, Func<object, object?>> Compile(Type type)
    {
        var instance = Expression.Parameter(typeof(object));
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, p => Expression.Lambda<Func<object, object?>>(
                Expression.Convert(Expression.Property(Expression.Convert(instance, type), p), typeof(object)), instance).Compile(),
                StringComparer.Ordinal);
    }
}
